package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/bodystats/bodystats/internal/googlehealth"
)

// TestRefreshUnderConcurrency: after the access token expires, many syncs and page loads at once cause exactly
// one refresh, and the emulator never sees a spent (rotated) refresh token.
func TestRefreshUnderConcurrency(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connectOAuth2("fitbit", fitbitScopes...)
	want := b.status().Measurements
	e.emu.ExpireAccessTokens()
	_, before, _ := e.emu.TokenRequests()

	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if i%2 == 0 {
				b.do(http.MethodPost, e.app.URL+"/sync", url.Values{})
			} else {
				b.get("/")
			}
		})
	}
	wg.Wait()
	s := b.waitSync()
	_, refreshes, invalid := e.emu.TokenRequests()
	if refreshes-before != 1 || invalid != 0 {
		t.Errorf("%d refreshes and %d invalid_grant answers, want 1 and 0", refreshes-before, invalid)
	}
	if s.State != "idle" || s.Measurements != want {
		t.Errorf("status after the refresh = %+v, want idle with %d measurements", s, want)
	}
}

// TestRevokedReconnect: a revoked grant shows the Reconnect banner on every page, keeps every stored weigh-in,
// and reconnecting restores the account without duplicating a measurement.
func TestRevokedReconnect(t *testing.T) {
	for _, tt := range []struct {
		provider string
		scopes   []string
	}{{"fitbit", fitbitScopes}, {"google-health", googlehealth.Scopes}} {
		t.Run(tt.provider, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			b.connectOAuth2(tt.provider, tt.scopes...)
			before := exportRows(t, b)

			e.emu.RevokeRefreshTokens()
			e.emu.ExpireAccessTokens()
			b.post("/sync", url.Values{})
			if s := b.waitSync(); s.State != "failed" || !strings.Contains(s.Message, "reconnect") {
				t.Fatalf("status after revocation = %+v, want failed asking to reconnect", s)
			}
			for _, path := range []string{"/", "/weight", "/settings"} {
				p := b.get(path)
				if p.status != http.StatusOK || !strings.Contains(p.body, `href="/login?provider=`+tt.provider+`">Reconnect`) {
					t.Errorf("GET %s: status %d, no Reconnect banner", path, p.status)
				}
			}
			if rows := exportRows(t, b); len(rows) != len(before) {
				t.Fatalf("revocation changed the stored rows from %d to %d", len(before), len(rows))
			}

			dash := b.connectOAuth2(tt.provider, tt.scopes...)
			if strings.Contains(dash.body, ">Reconnect<") {
				t.Error("the banner is still shown after reconnecting")
			}
			if s := b.status(); s.State != "idle" || s.Measurements != len(before) {
				t.Errorf("after reconnecting: %+v, want idle with the same %d measurements", s, len(before))
			}
		})
	}
}

// TestSwitchedOff: once Fitbit answers 410 Gone, signing in with it shows the "switched off" page, and a sync of
// a Fitbit account says so while keeping its data.
func TestSwitchedOff(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connectOAuth2("fitbit", fitbitScopes...)
	stored := b.status().Measurements
	e.emu.SetGone(true)

	for _, provider := range []string{"fitbit", "fitbit-oauth1"} {
		p := b.get("/login?provider=" + provider)
		if p.status != http.StatusGone || !strings.Contains(p.body, "switched off") || !strings.Contains(p.body, "Google Health") {
			t.Errorf("GET /login?provider=%s while Fitbit is gone: status %d\n%s", provider, p.status, p.body)
		}
	}
	b.post("/sync", url.Values{})
	if s := b.waitSync(); s.State != "failed" || !strings.Contains(s.Message, "switched off") || s.Measurements != stored {
		t.Errorf("sync while Fitbit is gone: %+v, want failed, switched off, %d measurements kept", s, stored)
	}
}
