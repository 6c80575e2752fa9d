package handlers_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
)

// apiCall sends one API request to base; token "" sends no Authorization header.
func apiCall(t testing.TB, base, method, path, token string, body io.Reader, header http.Header) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func (e *env) apiGet(path, token string) answer {
	return apiCall(e.t, e.app.URL, http.MethodGet, path, token, nil, nil)
}

func (e *env) apiPost(path, token, body string) answer {
	return apiCall(e.t, e.app.URL, http.MethodPost, path, token, strings.NewReader(body), nil)
}

// newToken makes an API token as the token command does and returns its text.
func newToken(t testing.TB, db *store.DB, name string) (string, store.APIToken) {
	t.Helper()
	tok := handlers.NewAPIToken()
	st, err := db.CreateAPIToken(t.Context(), name, auth.TokenHash(tok))
	if err != nil {
		t.Fatal(err)
	}
	return tok, st
}
