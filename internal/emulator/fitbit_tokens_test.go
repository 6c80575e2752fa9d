package emulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const weightLogToday = "/1/user/-/body/log/weight/date/today.json"

func TestFitbitRefreshRotation(t *testing.T) {
	f := newO2Fixture(t, Options{})
	r1 := f.connectO2(t, fitbitAS, nil)["refresh_token"].(string)

	status, tok := f.refresh(t, fitbitAS, r1)
	r2, _ := tok["refresh_token"].(string)
	if status != http.StatusOK || r2 == "" || r2 == r1 || tok["scope"] != "profile weight" || tok["user_id"] != "7BDEMO" {
		t.Fatalf("first refresh: got %d, rotated %v, scope %v", status, r2 != r1, tok["scope"])
	}
	if resp := f.bearerGet(t, profilePath, tok["access_token"].(string), nil); resp.StatusCode != http.StatusOK {
		t.Errorf("refreshed access token: got %d, want 200", resp.StatusCode)
	}
	if status, tok := f.refresh(t, fitbitAS, r1); status != http.StatusBadRequest || tokenErrorCode(fitbitAS, tok) != "invalid_grant" {
		t.Errorf("reused refresh token: got %d %v, want 400 invalid_grant", status, tok)
	}
	status, tok = f.refresh(t, fitbitAS, r2)
	r3, _ := tok["refresh_token"].(string)
	if status != http.StatusOK || r3 == "" {
		t.Fatalf("second refresh: got %d", status)
	}

	// A new authorization leaves the user and client one refresh token: the new one.
	r4 := f.connectO2(t, fitbitAS, nil)["refresh_token"].(string)
	if status, tok := f.refresh(t, fitbitAS, r3); status != http.StatusBadRequest || tokenErrorCode(fitbitAS, tok) != "invalid_grant" {
		t.Errorf("refresh token from before the new authorization: got %d %v, want 400 invalid_grant", status, tok)
	}
	if status, _ := f.refresh(t, fitbitAS, r4); status != http.StatusOK {
		t.Errorf("newest refresh token: got %d, want 200", status)
	}
	if c, r, g := f.emu.TokenRequests(); c != 2 || r != 3 || g != 2 {
		t.Errorf("TokenRequests: got %d %d %d, want 2 3 2", c, r, g)
	}
}

func TestFitbitBearerRefusals(t *testing.T) {
	f := newO2Fixture(t, Options{})
	tok := f.connectO2(t, fitbitAS, nil)
	access := tok["access_token"].(string)
	if s := f.bearerGet(t, profilePath, access, nil).StatusCode; s != http.StatusOK {
		t.Fatalf("fresh token: got %d", s)
	}
	f.clock.Advance(8*time.Hour - time.Second)
	if s := f.bearerGet(t, profilePath, access, nil).StatusCode; s != http.StatusOK {
		t.Errorf("a second before 8h: got %d, want 200", s)
	}
	f.clock.Advance(time.Second)
	wantError(t, f.bearerGet(t, profilePath, access, nil), http.StatusUnauthorized, "expired_token", "", access)

	_, tok = f.refresh(t, fitbitAS, tok["refresh_token"].(string))
	access = tok["access_token"].(string)
	f.emu.ExpireAccessTokens()
	wantError(t, f.bearerGet(t, profilePath, access, nil), http.StatusUnauthorized, "expired_token", "", access)

	google := f.connectO2(t, googleAS, url.Values{"access_type": {"offline"}})["access_token"].(string)
	for name, token := range map[string]string{"unknown": "made-up", "Google's": google} {
		t.Run(name, func(t *testing.T) {
			wantError(t, f.bearerGet(t, profilePath, token, nil), http.StatusUnauthorized, "invalid_token", "", token)
		})
	}
}

func TestAccessTokenTTLOption(t *testing.T) {
	f := newO2Fixture(t, Options{AccessTokenTTL: time.Hour, GoogleAccessTokenTTL: 10 * time.Minute})
	if got := f.connectO2(t, fitbitAS, nil)["expires_in"]; got != 3600.0 {
		t.Errorf("Fitbit expires_in: got %v, want 3600", got)
	}
	if got := f.connectO2(t, googleAS, nil)["expires_in"]; got != 599.0 {
		t.Errorf("Google expires_in: got %v, want 599", got)
	}
}

func TestFitbitScopeUnticked(t *testing.T) {
	tests := []struct {
		name                      string
		ticked                    []string
		scope                     string
		profileStatus, bodyStatus int
	}{
		{"weight only", []string{"weight"}, "weight", 403, 200},
		{"profile only", []string{"profile"}, "profile", 200, 403},
		{"nothing", nil, "", 403, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			code, pk, _ := f.code(t, fitbitAS, nil, tt.ticked)
			_, tok := f.exchange(t, fitbitAS, code, pk.verifier)
			if tok["scope"] != tt.scope {
				t.Errorf("token scope: got %q, want %q", tok["scope"], tt.scope)
			}
			access := tok["access_token"].(string)
			for path, want := range map[string]int{
				profilePath: tt.profileStatus, weightLogToday: tt.bodyStatus,
				"/1/user/-/body/weight/date/today/30d.json": tt.bodyStatus, "/1/user/-/body/date/today.json": tt.bodyStatus,
			} {
				resp := f.bearerGet(t, path, access, nil)
				if want == http.StatusForbidden {
					wantError(t, resp, want, "insufficient_scope", "")
				} else if resp.StatusCode != want {
					t.Errorf("%s: got %d, want %d", path, resp.StatusCode, want)
				}
			}
		})
	}
}

func TestOAuth2Deny(t *testing.T) {
	for _, as := range []authServer{fitbitAS, googleAS} {
		t.Run(as.name, func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			_, _, req := f.consentPage(t, as, authParams(as, newPKCE()))
			loc := f.decide(t, as, req, "deny", as.scopes)
			q := loc.Query()
			if q.Get("error") != "access_denied" || q.Get("state") != "st-123" || q.Has("code") {
				t.Errorf("deny redirect query: got %v, want error=access_denied and state, no code", q)
			}
			resp, err := browser.PostForm(f.srv.URL+as.authPath, url.Values{"request": {req}, "decision": {"allow"}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
				t.Errorf("allow after deny: got %d, want 400 without redirect", resp.StatusCode)
			}
		})
	}
}

func TestSetGone(t *testing.T) {
	f := newO2Fixture(t, Options{})
	google := f.connectO2(t, googleAS, url.Values{"access_type": {"offline"}})
	api := f.apiClient(t)
	f.emu.SetGone(true)
	tests := []struct {
		method, path string
		page         bool
	}{
		{"POST", "/oauth/request_token", false},
		{"GET", "/oauth/authorize?oauth_token=x", true},
		{"POST", "/oauth/access_token", false},
		{"GET", "/oauth2/authorize?" + authParams(fitbitAS, newPKCE()).Encode(), true},
		{"POST", "/oauth2/authorize", true},
		{"POST", "/oauth2/token", false},
		{"GET", profilePath, false},
		{"GET", weightLogToday, false},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+strings.Split(tt.path, "?")[0], func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, f.srv.URL+tt.path, nil)
			resp, err := api.Do(req) // signed, so only the switch-off can refuse the API calls
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if !tt.page {
				wantError(t, resp, http.StatusGone, "gone", "")
				return
			}
			if resp.StatusCode != http.StatusGone || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("got %d %s, want a 410 HTML page", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		})
	}

	if status, _, req := f.consentPage(t, googleAS, authParams(googleAS, newPKCE())); status != http.StatusOK || req == "" {
		t.Errorf("Google consent while Fitbit is gone: got %d", status)
	}
	if status, _ := f.refresh(t, googleAS, google["refresh_token"].(string)); status != http.StatusOK {
		t.Errorf("Google refresh while Fitbit is gone: got %d", status)
	}
	if s := f.bearerGet(t, "/v4/users/me/identity", google["access_token"].(string), nil).StatusCode; s != http.StatusOK {
		t.Errorf("Health API while Fitbit is gone: got %d", s)
	}
	f.emu.SetGone(false)
	if s := get(t, api, f.srv.URL+profilePath, "", nil).StatusCode; s != http.StatusOK {
		t.Errorf("after SetGone(false): got %d, want 200", s)
	}
}
