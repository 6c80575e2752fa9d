package tokens

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/store"
)

// wire records what crosses the network: the access tokens the token endpoint hands out, and the bearer
// tokens the API receives.
type wire struct {
	mu     sync.Mutex
	issued []string
	sent   []string
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(req.URL.Path, "/1/") {
		w.mu.Lock()
		w.sent = append(w.sent, strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer "))
		w.mu.Unlock()
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.URL.Path != "/oauth2/token" {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &tok) == nil && tok.AccessToken != "" {
		w.mu.Lock()
		w.issued = append(w.issued, tok.AccessToken)
		w.mu.Unlock()
	}
	return resp, nil
}

// saveFails is the store with SaveCredentials failing from now on, as a full disk would.
type saveFails struct{ *store.DB }

func (saveFails) SaveCredentials(context.Context, int64, store.Credentials) error {
	return errors.New("disk I/O error")
}

// TestUnsavedRefreshNeverLeaves: the provider rotates the token pair, storing the new pair fails, and the new
// access token is never sent to the API. The old refresh token is spent at the provider, so the next use asks
// the person to reconnect; the stored data is never touched.
func TestUnsavedRefreshNeverLeaves(t *testing.T) {
	ctx := t.Context()
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(emu)
	defer srv.Close()
	const callback = "http://app.invalid/callback"
	emu.AddOAuth2Client("cid", "csecret", callback)
	w := &wire{}
	p := connect.NewOAuth2(connect.OAuth2Config{
		Name: "fitbit", ClientID: "cid", ClientSecret: "csecret",
		AuthURL: srv.URL + "/oauth2/authorize", TokenURL: srv.URL + "/oauth2/token", AuthStyle: oauth2.AuthStyleInHeader,
		Scopes: []string{"weight", "profile"}, CallbackURL: callback, HTTPClient: &http.Client{Transport: w},
	})
	tok := signIn(t, p, srv.URL)

	db, acct, _ := setup(t, tok.Expiry)
	if err := db.SaveCredentials(ctx, acct.ID, toCredentials(tok)); err != nil {
		t.Fatal(err)
	}
	m := New(saveFails{db}, []connect.Provider{p}, quiet)
	client, err := m.Client(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	emu.ExpireAccessTokens()
	if resp, err := client.Get(srv.URL + "/1/user/-/profile.json"); err == nil {
		resp.Body.Close()
		t.Fatalf("the request succeeded (%d) although the refreshed token could not be stored", resp.StatusCode)
	}

	if _, refreshes, _ := emu.TokenRequests(); refreshes != 1 || len(w.issued) != 2 {
		t.Fatalf("%d refreshes, %d tokens issued; want the refresh to have happened", refreshes, len(w.issued))
	}
	fresh := w.issued[1]
	for _, s := range w.sent {
		if s == fresh {
			t.Fatal("the API received the access token that was never stored")
		}
	}
	creds, _ := db.Credentials(ctx, acct.ID)
	if creds.Token != tok.Token || creds.RefreshToken != tok.RefreshToken {
		t.Error("the stored pair changed")
	}

	// The provider has rotated the refresh token away: the honest outcome is a Reconnect.
	next, err := New(db, []connect.Provider{p}, quiet).Client(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := next.Get(srv.URL + "/1/user/-/profile.json"); !errors.Is(err, ErrReconnect) {
		if err == nil {
			resp.Body.Close()
		}
		t.Fatalf("next use = %v, want ErrReconnect", err)
	}
	if a, _ := db.Account(ctx, acct.ID); !a.NeedsReconnect {
		t.Error("account not marked for reconnect")
	}
}

var requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)

// signIn runs the OAuth 2.0 sign-in against the emulator the way a browser would, granting weight and profile.
func signIn(t *testing.T, p *connect.OAuth2, base string) connect.Token {
	t.Helper()
	authURL, pending, err := p.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := requestField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no consent form:\n%s", page)
	}
	resp, err = browser.PostForm(base+"/oauth2/authorize", url.Values{
		"request": {html.UnescapeString(string(m[1]))}, "scopes_shown": {"1"}, "scope": {"weight", "profile"}, "decision": {"allow"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := p.Complete(t.Context(), pending, connect.ParseCallback(loc.Query()))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
