package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var shownToken = regexp.MustCompile(`bst_[A-Za-z0-9_-]{43}`)

// TestTokenSettings: Settings makes a token and shows it once; the list then shows only its name and last use;
// Revoke ends it at once. No token text reaches the log.
func TestTokenSettings(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	if p := b.get("/settings/tokens"); p.status != 200 || !strings.Contains(p.body, "No tokens yet") {
		t.Fatalf("GET /settings/tokens: %d\n%s", p.status, p.body)
	}
	p := b.post("/settings/tokens", url.Values{"name": {"phone"}})
	tok := shownToken.FindString(p.body)
	if p.status != 200 || tok == "" {
		t.Fatalf("POST /settings/tokens: %d, no token shown\n%s", p.status, p.body)
	}
	list := b.get("/settings/tokens")
	if strings.Contains(list.body, tok) || !strings.Contains(list.body, "<td>phone</td>") || !strings.Contains(list.body, "never") {
		t.Fatalf("the list shows the token again, or not its name:\n%s", list.body)
	}
	if a := e.apiGet("/api/v1/summary", tok); a.status != 200 {
		t.Fatalf("the new token: %d %s", a.status, a.body)
	}
	if list := b.get("/settings/tokens"); strings.Contains(list.body, "never") {
		t.Fatal("last use not shown after a use")
	}
	for _, tc := range []struct {
		name   string
		status int
		want   string
	}{{"", 400, "Give the token a name"}, {"phone", 409, "exists"}, {strings.Repeat("x", 65), 400, "at most 64"}} {
		if p := b.post("/settings/tokens", url.Values{"name": {tc.name}}); p.status != tc.status || !strings.Contains(p.body, tc.want) || shownToken.MatchString(p.body) {
			t.Errorf("name %q: %d, want %d saying %q and no token", tc.name, p.status, tc.status, tc.want)
		}
	}
	if p := b.post("/settings/tokens/revoke", url.Values{"name": {"phone"}}); p.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.status)
	}
	if p := b.get("/settings/tokens?revoked=phone"); !strings.Contains(p.body, "remove its source on the") {
		t.Error("the revoke notice does not say the weigh-ins stay")
	}
	if a := e.apiGet("/api/v1/summary", tok); a.status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", a.status)
	}
	if p := b.post("/settings/tokens/revoke", url.Values{"name": {"phone"}}); p.status != http.StatusNotFound {
		t.Fatalf("revoke again: %d", p.status)
	}
	b.connect() // Settings needs an account
	if p := b.get("/settings"); !strings.Contains(p.body, `href="/settings/tokens"`) {
		t.Error("Settings does not link to the tokens")
	}
	if strings.Contains(e.logs.String(), tok) || shownToken.MatchString(e.logs.String()) {
		t.Fatal("a token reached the log")
	}
}
