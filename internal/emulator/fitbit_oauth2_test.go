package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFitbitOAuth2HappyPath(t *testing.T) {
	f := newO2Fixture(t, Options{})
	pk := newPKCE()
	status, page, req := f.consentPage(t, fitbitAS, authParams(fitbitAS, pk))
	if status != http.StatusOK || req == "" {
		t.Fatalf("consent page: got %d, request handle %q", status, req)
	}
	for _, want := range []string{
		`<form method="post" action="authorize">`,
		`<input type="checkbox" name="scope" value="weight" checked>`,
		`<input type="checkbox" name="scope" value="profile" checked>`,
		`<button type="submit" name="decision" value="allow">Allow</button>`,
		`<button type="submit" name="decision" value="deny">Deny</button>`,
		"This is the built-in bodystats demo, not Fitbit",
		testClientID,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if strings.Contains(page, testClientSecret) {
		t.Error("consent page shows the client secret")
	}

	loc := f.decide(t, fitbitAS, req, "allow", []string{"weight", "profile"})
	if loc.Host != "localhost:8080" || loc.Path != "/oauth2/callback" || loc.Query().Get("from") != "test" {
		t.Errorf("redirect: got %s, want the registered redirect URI with its query", loc.Redacted())
	}
	if loc.Query().Get("state") != "st-123" || loc.Fragment != "_=_" {
		t.Errorf("redirect: state %q fragment %q, want st-123 and _=_", loc.Query().Get("state"), loc.Fragment)
	}
	status, tok := f.exchange(t, fitbitAS, loc.Query().Get("code"), pk.verifier)
	if status != http.StatusOK {
		t.Fatalf("exchange: got %d %v", status, tok)
	}
	for k, want := range map[string]any{"token_type": "Bearer", "expires_in": 28800.0, "scope": "profile weight", "user_id": "7BDEMO"} {
		if tok[k] != want {
			t.Errorf("token %s: got %v, want %v", k, tok[k], want)
		}
	}
	access, _ := tok["access_token"].(string)
	if access == "" || tok["refresh_token"] == "" || tok["refresh_token"] == nil {
		t.Fatalf("token answer lacks access or refresh token: %v", keysOf(tok))
	}

	var profile struct {
		User struct{ EncodedID, Timezone string } `json:"user"`
	}
	if resp := f.bearerGet(t, profilePath, access, &profile); resp.StatusCode != http.StatusOK {
		t.Fatalf("profile: got %d", resp.StatusCode)
	}
	if profile.User.EncodedID != "7BDEMO" || profile.User.Timezone != demoTimeZone {
		t.Errorf("profile: got %+v", profile.User)
	}
	end := lastDay(t, f.emu)
	start := end.AddDate(0, 0, -30)
	var logs weightLogBody
	f.bearerGet(t, "/1/user/-/body/log/weight/date/"+start.Format(dateLayout)+"/"+end.Format(dateLayout)+".json", access, &logs)
	var got []int64
	for _, l := range logs.Weight {
		got = append(got, l.LogID)
	}
	if diff := cmp.Diff(logIDsBetween(f.emu, start, end, false), got); diff != "" {
		t.Errorf("weight logs with Bearer (-history +got):\n%s", diff)
	}
	if c, r, g := f.emu.TokenRequests(); c != 1 || r != 0 || g != 0 {
		t.Errorf("TokenRequests: got %d %d %d, want 1 0 0", c, r, g)
	}
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestAuthorizeRefusals: a bad authorize request shows an error page on both servers and never redirects.
func TestAuthorizeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(v url.Values)
		google bool // only Google checks it
	}{
		{"unknown client", func(v url.Values) { v.Set("client_id", "nobody") }, false},
		{"redirect_uri mismatch", func(v url.Values) { v.Set("redirect_uri", "http://localhost:8080/oauth2/callback/?from=test") }, false},
		{"redirect_uri missing", func(v url.Values) { v.Del("redirect_uri") }, false},
		{"response_type token", func(v url.Values) { v.Set("response_type", "token") }, false},
		{"no scope", func(v url.Values) { v.Del("scope") }, false},
		{"unknown scope", func(v url.Values) { v.Set("scope", v.Get("scope")+" everything") }, false},
		{"missing challenge", func(v url.Values) { v.Del("code_challenge") }, false},
		{"plain method", func(v url.Values) { v.Set("code_challenge_method", "plain") }, false},
		{"method missing (plain by default)", func(v url.Values) { v.Del("code_challenge_method") }, false},
		{"short challenge", func(v url.Values) { v.Set("code_challenge", strings.Repeat("a", 42)) }, false},
		{"repeated parameter", func(v url.Values) { v.Add("state", "again") }, false},
		{"bad access_type", func(v url.Values) { v.Set("access_type", "forever") }, true},
	}
	for _, as := range []authServer{fitbitAS, googleAS} {
		for _, tt := range tests {
			if tt.google && as.name != "google" {
				continue
			}
			t.Run(as.name+"/"+tt.name, func(t *testing.T) {
				f := newO2Fixture(t, Options{})
				params := authParams(as, newPKCE())
				tt.mutate(params)
				status, page, req := f.consentPage(t, as, params)
				if status != http.StatusBadRequest || req != "" {
					t.Errorf("got %d with request handle %q, want 400 and an error page", status, req)
				}
				banner := map[string]string{"fitbit": "not Fitbit", "google": "not Google"}[as.name]
				if !strings.Contains(page, banner) {
					t.Errorf("error page lacks the %q demo banner", banner)
				}
			})
		}
	}
}

// TestTokenRefusals runs each refusal against a fresh code on both servers, then checks whether the code
// survived: parameter and client errors spend nothing, a presented code is spent by its own client.
func TestTokenRefusals(t *testing.T) {
	type call func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any)
	form := func(code, verifier string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect}, "code_verifier": {verifier}}
	}
	withForm := func(edit func(v url.Values)) call {
		return func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any) {
			v := form(code, pk.verifier)
			edit(v)
			return f.tokenCall(t, as, v, testClientID, testClientSecret)
		}
	}
	tests := []struct {
		name      string
		call      call
		status    int
		errorType string
		codeLives bool // the rightful exchange still works afterwards
	}{
		{"wrong verifier", withForm(func(v url.Values) { v.Set("code_verifier", newPKCE().verifier) }), 400, "invalid_grant", false},
		{"missing verifier", withForm(func(v url.Values) { v.Del("code_verifier") }), 400, "invalid_request", true},
		{"short verifier", withForm(func(v url.Values) { v.Set("code_verifier", strings.Repeat("a", 42)) }), 400, "invalid_request", true},
		{"redirect_uri mismatch", withForm(func(v url.Values) { v.Set("redirect_uri", "http://localhost:8080/oauth2/callback") }), 400, "invalid_grant", false},
		{"unknown code", withForm(func(v url.Values) { v.Set("code", "made-up") }), 400, "invalid_grant", true},
		{"repeated parameter", withForm(func(v url.Values) { v.Add("code", "again") }), 400, "invalid_request", true},
		{"replayed code", func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any) {
			if s, _ := f.exchange(t, as, code, pk.verifier); s != http.StatusOK {
				t.Fatalf("first exchange: got %d", s)
			}
			return f.exchange(t, as, code, pk.verifier)
		}, 400, "invalid_grant", false},
		{"expired code", func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any) {
			f.clock.Advance(10*time.Minute + time.Second)
			return f.exchange(t, as, code, pk.verifier)
		}, 400, "invalid_grant", false},
		{"code of another client", func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any) {
			f.emu.AddOAuth2Client("other", "other-secret", testRedirect)
			return f.tokenCall(t, as, form(code, pk.verifier), "other", "other-secret")
		}, 400, "invalid_grant", true},
		{"wrong client secret", func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any) {
			return f.tokenCall(t, as, form(code, pk.verifier), testClientID, "nope")
		}, 401, "invalid_client", true},
		{"Basic without query escaping", func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any) {
			// the secret's "+" decodes to a space once the server query-unescapes it
			return f.tokenPost(t, as, form(code, pk.verifier), func(r *http.Request) { r.SetBasicAuth(testClientID, testClientSecret) })
		}, 401, "invalid_client", true},
		{"no client authentication", func(t *testing.T, f *fixture, as authServer, code string, pk pkce) (int, map[string]any) {
			return f.tokenCall(t, as, form(code, pk.verifier), "", "")
		}, 401, "invalid_client", true},
		{"unsupported grant type", withForm(func(v url.Values) { v.Set("grant_type", "password") }), 400, "unsupported_grant_type", true},
	}
	for _, as := range []authServer{fitbitAS, googleAS} {
		for _, tt := range tests {
			t.Run(as.name+"/"+tt.name, func(t *testing.T) {
				f := newO2Fixture(t, Options{})
				code, pk, _ := f.code(t, as, nil, as.scopes)
				status, body := tt.call(t, f, as, code, pk)
				if status != tt.status || tokenErrorCode(as, body) != tt.errorType {
					t.Errorf("got %d %v, want %d %s", status, body, tt.status, tt.errorType)
				}
				s, _ := f.exchange(t, as, code, pk.verifier)
				if got := s == http.StatusOK; got != tt.codeLives {
					t.Errorf("rightful exchange afterwards: got %d, want the code alive=%v", s, tt.codeLives)
				}
			})
		}
	}
}
