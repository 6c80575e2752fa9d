package connect

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestOAuth2OptionalScopes: optional scopes are asked for on the consent page, but a grant without them is
// accepted; a grant without a required scope is not.
func TestOAuth2OptionalScopes(t *testing.T) {
	const required, optional = "scope.required", "scope.optional"
	var granted string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600, "scope": granted})
	}))
	t.Cleanup(srv.Close)
	p := NewOAuth2(OAuth2Config{Name: "google-health", ClientID: "id", ClientSecret: "secret", AuthURL: srv.URL + "/auth",
		TokenURL: srv.URL + "/token", Scopes: []string{required}, OptionalScopes: []string{optional},
		CallbackURL: "http://127.0.0.1:8080/callback", HTTPClient: srv.Client()})

	authURL, pending, err := p.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(u.Query().Get("scope")); len(got) != 2 || got[0] != required || got[1] != optional {
		t.Errorf("consent URL asks for scopes %q, want both the required and the optional one", got)
	}
	cb := Callback{Code: "code", State: pending.State}
	tests := []struct {
		granted string
		want    error
	}{
		{required + " " + optional, nil},
		{required, nil}, // the optional scope unticked
		{optional, ErrScopeMissing},
		{"other", ErrScopeMissing},
	}
	for _, tt := range tests {
		granted = tt.granted
		tok, err := p.Complete(t.Context(), pending, cb)
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("granted %q: Complete = %v, want success", tt.granted, err)
		case tt.want == nil && tok.Scope != tt.granted:
			t.Errorf("granted %q: token scope %q", tt.granted, tok.Scope)
		case tt.want != nil && !errors.Is(err, tt.want):
			t.Errorf("granted %q: Complete = %v, want %v", tt.granted, err, tt.want)
		case tt.want != nil && strings.Contains(err.Error(), optional):
			t.Errorf("granted %q: the error names the optional scope as missing: %v", tt.granted, err)
		}
	}
}
