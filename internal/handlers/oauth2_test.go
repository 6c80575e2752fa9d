package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/googlehealth"
)

var fitbitScopes = []string{"weight", "profile"}

func TestFitbitOAuth2Flow(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	dash := b.connectOAuth2("fitbit", fitbitScopes...)
	last, lastFat := latest(e.emu.WeightLogs())
	if !shows(dash.body, "weight", one(last.WeightKg)) || !shows(dash.body, "bmi", one(last.BMI)) || !shows(dash.body, "fat", one(lastFat.FatPct)) {
		t.Fatalf("dashboard does not show the emulator's latest values:\n%s", dash.body)
	}
	if n := len(exportRows(t, b)); n != len(e.emu.WeightLogs()) {
		t.Errorf("export has %d rows, want %d", n, len(e.emu.WeightLogs()))
	}
}

func TestOAuth2CallbackRefusals(t *testing.T) {
	for _, provider := range []string{"fitbit", "google-health"} {
		scopes := fitbitScopes
		if provider == "google-health" {
			scopes = googlehealth.Scopes
		}
		t.Run(provider, func(t *testing.T) {
			t.Run("MissingState", func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				consentURL, request := b.consentOAuth2(provider)
				cb := b.decideOAuth2(consentURL, request, "allow", scopes...)
				u, _ := url.Parse(cb)
				refused(t, b, b.get("/callback?code="+url.QueryEscape(u.Query().Get("code"))), http.StatusBadRequest, "missing a part")
			})
			t.Run("MismatchedState", func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				consentURL, request := b.consentOAuth2(provider)
				cb := b.decideOAuth2(consentURL, request, "allow", scopes...)
				u, _ := url.Parse(cb)
				refused(t, b, b.get("/callback?state=forged&code="+url.QueryEscape(u.Query().Get("code"))), http.StatusBadRequest, "does not match")
				if p := b.get(cb); p.status != http.StatusSeeOther {
					t.Errorf("the real callback after a forged state: status %d", p.status)
				}
			})
			t.Run("MissingCode", func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				consentURL, request := b.consentOAuth2(provider)
				u, _ := url.Parse(b.decideOAuth2(consentURL, request, "allow", scopes...))
				refused(t, b, b.get("/callback?state="+url.QueryEscape(u.Query().Get("state"))), http.StatusBadRequest, "missing a part")
			})
			t.Run("ReplayedCode", func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				consentURL, request := b.consentOAuth2(provider)
				cb := b.decideOAuth2(consentURL, request, "allow", scopes...)
				b.get(cb)
				b.waitSync()
				refused(t, b, b.get(cb), http.StatusBadRequest, "No sign-in in progress")
			})
			t.Run("Denied", func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				consentURL, request := b.consentOAuth2(provider)
				refused(t, b, b.get(b.decideOAuth2(consentURL, request, "deny")), http.StatusForbidden, "not granted")
			})
			t.Run("ProviderError", func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				consentURL, request := b.consentOAuth2(provider)
				u, _ := url.Parse(b.decideOAuth2(consentURL, request, "allow", scopes...))
				refused(t, b, b.get("/callback?error=server_error&state="+url.QueryEscape(u.Query().Get("state"))), http.StatusBadRequest, "reported a problem")
			})
			t.Run("ScopeDropped", func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				consentURL, request := b.consentOAuth2(provider)
				refused(t, b, b.get(b.decideOAuth2(consentURL, request, "allow", scopes[1:]...)), http.StatusForbidden, "permission was left out")
				if p := b.get("/"); !strings.Contains(p.body, "Connect Fitbit") {
					t.Error("an account got connected without the weight permission")
				}
			})
			for _, f := range []tokenFault{
				{400, `{"error":"invalid_request"}`},
				{401, `{"errors":[{"errorType":"invalid_client","message":"SECRET-ish"}],"success":false}`},
				{500, `oops`},
				{200, `{"access_token":"abc","token_type":"Bearer",`},
			} {
				t.Run(fmt.Sprintf("TokenEndpoint%d", f.status), func(t *testing.T) {
					e := newEnv(t)
					b := e.browser()
					consentURL, request := b.consentOAuth2(provider)
					cb := b.decideOAuth2(consentURL, request, "allow", scopes...)
					e.tokenFault.Store(&f)
					refused(t, b, b.get(cb), http.StatusBadRequest, "provider")
					if strings.Contains(e.logs.String(), "SECRET") {
						t.Error("the log quotes the token endpoint's answer")
					}
				})
			}
		})
	}
	t.Run("CodeFromAnotherProvidersFlow", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		consentURL, request := b.consentOAuth2("fitbit")
		fitbitCB, _ := url.Parse(b.decideOAuth2(consentURL, request, "allow", fitbitScopes...))
		consentURL, request = b.consentOAuth2("google-health") // replaces the pending sign-in
		googleCB, _ := url.Parse(b.decideOAuth2(consentURL, request, "allow", googlehealth.Scopes...))
		q := url.Values{"state": {googleCB.Query().Get("state")}, "code": {fitbitCB.Query().Get("code")}}
		refused(t, b, b.get("/callback?"+q.Encode()), http.StatusBadRequest, "did not accept")
	})
}
