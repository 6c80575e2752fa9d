package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var offline = url.Values{"access_type": {"offline"}, "prompt": {"consent"}}

func TestGoogleOAuth2HappyPath(t *testing.T) {
	f := newO2Fixture(t, Options{})
	pk := newPKCE()
	params := authParams(googleAS, pk)
	params.Set("access_type", "offline")
	params.Set("prompt", "consent")
	status, page, req := f.consentPage(t, googleAS, params)
	if status != http.StatusOK || req == "" {
		t.Fatalf("consent page: got %d", status)
	}
	for _, want := range []string{
		`<form method="post" action="auth">`,
		`<input type="checkbox" name="scope" value="` + scopeHealthMetrics + `" checked>`,
		`<input type="checkbox" name="scope" value="` + scopeHealthProfile + `" checked>`,
		`name="decision" value="allow"`, `name="decision" value="deny"`,
		"This is the built-in bodystats demo, not Google",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	loc := f.decide(t, googleAS, req, "allow", googleAS.scopes)
	if got, want := loc.Query().Get("scope"), strings.Join(googleAS.scopes, " "); got != want {
		t.Errorf("redirect scope: got %q, want %q", got, want)
	}
	status, tok := f.exchange(t, googleAS, loc.Query().Get("code"), pk.verifier)
	if status != http.StatusOK {
		t.Fatalf("exchange: got %d %v", status, tok)
	}
	for k, want := range map[string]any{"token_type": "Bearer", "expires_in": 3599.0, "scope": strings.Join(googleAS.scopes, " ")} {
		if tok[k] != want {
			t.Errorf("token %s: got %v, want %v", k, tok[k], want)
		}
	}
	refresh, _ := tok["refresh_token"].(string)
	if refresh == "" || tok["user_id"] != nil {
		t.Errorf("token answer: refresh token present %v, user_id %v; want a refresh token and no user_id", refresh != "", tok["user_id"])
	}

	gu := f.emu.GoogleUser()
	var identity map[string]any
	var profile struct {
		Name                string
		Age                 int
		MembershipStartDate struct{ Year, Month, Day int }
	}
	f.bearerGet(t, "/v4/users/me/identity", tok["access_token"].(string), &identity)
	f.bearerGet(t, "/v4/users/me/profile", tok["access_token"].(string), &profile)
	// Settings have a scope of their own, not asked for here.
	wantGoogleError(t, f.bearerGet(t, "/v4/users/me/settings", tok["access_token"].(string), nil), http.StatusForbidden, "PERMISSION_DENIED")
	if identity["name"] != "users/me/identity" || identity["healthUserId"] != gu.HealthUserID || identity["legacyUserId"] != f.emu.User().EncodedID {
		t.Errorf("identity: got %v", identity)
	}
	since := time.Date(profile.MembershipStartDate.Year, time.Month(profile.MembershipStartDate.Month), profile.MembershipStartDate.Day, 0, 0, 0, 0, time.UTC)
	if profile.Age != gu.Age || since.Format(dateLayout) != gu.MembershipStartDate || gu.MembershipStartDate != f.emu.User().MemberSince {
		t.Errorf("profile: got %+v, want %+v", profile, gu)
	}

	// Google does not rotate: the same refresh token works again and again, and no new one comes back.
	var accesses []string
	for i := range 2 {
		status, r := f.refresh(t, googleAS, refresh)
		if status != http.StatusOK || r["refresh_token"] != nil || r["scope"] != tok["scope"] {
			t.Fatalf("refresh %d: got %d %v", i, status, keysOf(r))
		}
		accesses = append(accesses, r["access_token"].(string))
	}
	for _, a := range append(accesses, tok["access_token"].(string)) {
		if s := f.bearerGet(t, "/v4/users/me/identity", a, nil).StatusCode; s != http.StatusOK {
			t.Errorf("access token after refreshes: got %d, want 200", s)
		}
	}
	if c, r, g := f.emu.TokenRequests(); c != 1 || r != 2 || g != 0 {
		t.Errorf("TokenRequests: got %d %d %d, want 1 2 0", c, r, g)
	}
}

func TestGoogleRefreshTokenOnlyOffline(t *testing.T) {
	for _, accessType := range []string{"", "online"} {
		f := newO2Fixture(t, Options{})
		extra := url.Values{}
		if accessType != "" {
			extra.Set("access_type", accessType)
		}
		if tok := f.connectO2(t, googleAS, extra); tok["refresh_token"] != nil {
			t.Errorf("access_type %q: got a refresh token, want none", accessType)
		}
	}
}

func TestGoogleClientAuthInForm(t *testing.T) {
	tests := []struct {
		name      string
		id, sec   string // form fields
		basic     bool
		status    int
		errorType string
	}{
		{"form credentials", testClientID, testClientSecret, false, 200, ""},
		{"wrong form secret", testClientID, "nope", false, 401, "invalid_client"},
		{"Basic and form secret", testClientID, testClientSecret, true, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			code, pk, _ := f.code(t, googleAS, nil, googleAS.scopes)
			form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {testRedirect},
				"code_verifier": {pk.verifier}, "client_id": {tt.id}, "client_secret": {tt.sec}}
			id := ""
			if tt.basic {
				id = testClientID
			}
			status, body := f.tokenCall(t, googleAS, form, id, testClientSecret)
			if status != tt.status || (tt.errorType != "" && tokenErrorCode(googleAS, body) != tt.errorType) {
				t.Errorf("got %d %v, want %d %s", status, body, tt.status, tt.errorType)
			}
			if tt.errorType != "" && body["error_description"] == nil {
				t.Errorf("refusal lacks error_description: %v", body)
			}
		})
	}
}

func TestGoogleScopeUnticked(t *testing.T) {
	tests := []struct {
		name                                    string
		ticked                                  []string
		dataPoints, identity, profile, settings int
	}{
		// As the discovery document has it: identity opens with any Health scope, settings with their own only.
		{"profile only", []string{scopeHealthProfile}, 403, 200, 200, 403},
		{"health metrics only", []string{scopeHealthMetrics}, 200, 200, 403, 403},
		{"settings only", []string{scopeHealthSettings}, 403, 200, 403, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			all := url.Values{"scope": {strings.Join(append(googleAS.scopes, scopeHealthSettings), " ")}}
			code, pk, loc := f.code(t, googleAS, all, tt.ticked)
			if got := loc.Query().Get("scope"); got != tt.ticked[0] {
				t.Errorf("redirect scope: got %q, want %q", got, tt.ticked[0])
			}
			_, tok := f.exchange(t, googleAS, code, pk.verifier)
			if tok["scope"] != tt.ticked[0] {
				t.Errorf("token scope: got %q, want %q", tok["scope"], tt.ticked[0])
			}
			for path, want := range map[string]int{
				"/v4/users/me/dataTypes/weight/dataPoints": tt.dataPoints, "/v4/users/me/dataTypes/body-fat/dataPoints": tt.dataPoints,
				"/v4/users/me/identity": tt.identity, "/v4/users/me/profile": tt.profile, "/v4/users/me/settings": tt.settings,
			} {
				resp := f.bearerGet(t, path, tok["access_token"].(string), nil)
				if want == http.StatusForbidden {
					wantGoogleError(t, resp, want, "PERMISSION_DENIED")
				} else if resp.StatusCode != want {
					t.Errorf("%s: got %d, want %d", path, resp.StatusCode, want)
				}
			}
		})
	}
}

func TestRevokeRefreshTokens(t *testing.T) {
	f := newO2Fixture(t, Options{})
	fb := f.connectO2(t, fitbitAS, nil)
	g := f.connectO2(t, googleAS, offline)
	f.emu.RevokeRefreshTokens()
	for _, c := range []struct {
		as  authServer
		tok map[string]any
	}{{fitbitAS, fb}, {googleAS, g}} {
		if status, body := f.refresh(t, c.as, c.tok["refresh_token"].(string)); status != 400 || tokenErrorCode(c.as, body) != "invalid_grant" {
			t.Errorf("%s refresh after revocation: got %d %v, want 400 invalid_grant", c.as.name, status, body)
		}
	}
	if status, _ := f.refresh(t, googleAS, g["refresh_token"].(string)); status != http.StatusBadRequest {
		t.Errorf("Google refresh token after revocation, again: got %d, want 400", status)
	}
	wantError(t, f.bearerGet(t, profilePath, fb["access_token"].(string), nil), 401, "invalid_token", "")
	wantGoogleError(t, f.bearerGet(t, "/v4/users/me/identity", g["access_token"].(string), nil), 401, "UNAUTHENTICATED")
	if c, r, ig := f.emu.TokenRequests(); c != 2 || r != 0 || ig != 3 {
		t.Errorf("TokenRequests: got %d %d %d, want 2 0 3", c, r, ig)
	}
}

func TestHealthAuthentication(t *testing.T) {
	f := newO2Fixture(t, Options{})
	g := f.connectO2(t, googleAS, nil)["access_token"].(string)
	fb := f.connectO2(t, fitbitAS, nil)["access_token"].(string)
	const identity = "/v4/users/me/identity"
	if s := get(t, http.DefaultClient, f.srv.URL+identity, "", nil); s.StatusCode != 401 {
		t.Errorf("no Authorization: got %d, want 401", s.StatusCode)
	}
	wantGoogleError(t, f.bearerGet(t, identity, "made-up", nil), 401, "UNAUTHENTICATED")
	wantGoogleError(t, f.bearerGet(t, identity, fb, nil), 401, "UNAUTHENTICATED")
	wantGoogleError(t, f.bearerGet(t, "/v4/users/someone-else/identity", g, nil), 403, "PERMISSION_DENIED")
	wantGoogleError(t, f.bearerGet(t, "/v4/users/me/dataTypes/steps/dataPoints", g, nil), 404, "NOT_FOUND")
	if s := f.bearerGet(t, "/v4/users/"+f.emu.GoogleUser().HealthUserID+"/identity", g, nil).StatusCode; s != 200 {
		t.Errorf("own health user ID in the path: got %d, want 200", s)
	}
	f.clock.Advance(time.Hour - time.Second)
	if s := f.bearerGet(t, identity, g, nil).StatusCode; s != 200 {
		t.Errorf("a second before an hour: got %d, want 200", s)
	}
	f.clock.Advance(time.Second)
	wantGoogleError(t, f.bearerGet(t, identity, g, nil), 401, "UNAUTHENTICATED")
	if got, want := f.emu.HealthRequests(), 8; got != want {
		t.Errorf("HealthRequests: got %d, want %d", got, want)
	}
}
