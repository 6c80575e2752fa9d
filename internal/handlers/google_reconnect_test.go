package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/googlehealth"
)

// TestGoogleSevenDayReconnect: a Google grant refused once it turned 7 days old (a client left in Testing) gets a
// banner that says why and links to the setup page's "In production"; a grant refused earlier, or after a refresh
// past the 7 days worked, gets the plain sentence.
func TestGoogleSevenDayReconnect(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name          string
		refusedAfter  time.Duration
		refreshBefore bool // a refresh worked past the 7 days, before the refusal
		sevenDays     bool
	}{
		{"SevenDaysOld", 7*day + time.Hour, false, true},
		{"TwoDaysOld", 2 * day, false, false},
		{"RefreshedAfterSevenDays", 9 * day, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			b := e.browser()
			b.connectOAuth2("google-health", googlehealth.Scopes...)
			advance := func(d time.Duration) { e.now.Add(int64(d / time.Second)) }
			if tt.refreshBefore {
				advance(7*day + time.Hour)
				e.emu.ExpireAccessTokens()
				b.post("/sync", url.Values{})
				if s := b.waitSync(); s.State != "idle" {
					t.Fatalf("a refresh past 7 days: %+v", s)
				}
				advance(tt.refusedAfter - 7*day - time.Hour)
			} else {
				advance(tt.refusedAfter)
			}
			e.emu.RevokeRefreshTokens()
			e.emu.ExpireAccessTokens()
			b.post("/sync", url.Values{})
			if s := b.waitSync(); s.State != "failed" {
				t.Fatalf("after the refusal: %+v, want failed", s)
			}
			p := b.get("/")
			if !strings.Contains(p.body, `href="/login?provider=google-health">Reconnect`) {
				t.Fatalf("no Reconnect banner:\n%s", p.body)
			}
			says := strings.Contains(p.body, "7 days after you granted it") && strings.Contains(p.body, `href="/setup#in-production"`)
			if says != tt.sevenDays {
				t.Errorf("banner names the 7-day limit: %v, want %v", says, tt.sevenDays)
			}
			if !tt.sevenDays && !strings.Contains(p.body, "no longer accepts this connection") {
				t.Errorf("the plain banner sentence is missing")
			}
		})
	}
}

// TestSetupInProduction: the setup page says up front how to keep a Google connection past 7 days.
func TestSetupInProduction(t *testing.T) {
	e := newEnv(t)
	p := e.browser().get("/setup")
	if p.status != http.StatusOK {
		t.Fatalf("GET /setup: %d", p.status)
	}
	for _, want := range []string{`id="in-production"`, "7 days", "Publish app", "100 users", "Google hasn't verified this app"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("/setup lacks %q", want)
		}
	}
}
