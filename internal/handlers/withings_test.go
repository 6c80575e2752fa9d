package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/withings"
)

func TestWithingsFlow(t *testing.T) {
	for _, redirect := range []string{redirectDirect, redirectForward, redirectPaste} {
		t.Run(redirect, func(t *testing.T) {
			forward := "https://me.example.org/withings-forward.html"
			if redirect == redirectPaste {
				forward = ""
			}
			e := newWithingsEnv(t, redirect, forward)
			b := e.browser()
			landing := b.get("/")
			if !strings.Contains(landing.body, `href="/login?provider=withings"`) || !strings.Contains(landing.body, "Connect Withings") {
				t.Fatalf("landing page has no Connect Withings:\n%s", landing.body)
			}
			s := b.connectWithings(redirect)
			want, guests := withingsWant(e.emu)
			if s.State != "idle" || s.Measurements != len(want)+guests {
				t.Fatalf("first sync: %+v, want idle with %d weigh-ins (%d of them a guest's)", s, len(want)+guests, guests)
			}
			rows := exportRows(t, b)
			got := map[string]withingsRow{}
			for _, r := range rows {
				if r[6] != withings.ID {
					t.Fatalf("export row from provider %q", r[6])
				}
				got[r[7]] = withingsRow{r[0], r[1], r[2], r[3], r[4]}
			}
			if len(got) != len(want) || len(rows) != len(want) {
				t.Fatalf("export has %d rows (%d ids), want %d: guests stay out", len(rows), len(got), len(want))
			}
			for id, w := range want {
				if got[id] != w {
					t.Fatalf("grpid %s: export %+v, want %+v", id, got[id], w)
				}
			}

			// The dashboard: the newest weigh-in, its BMI from Withings' height, its fat % from the fat ratio.
			var newest, newestFat string
			for id, w := range want {
				if newest == "" || w.date+w.clock > want[newest].date+want[newest].clock {
					newest = id
				}
				if w.fat != "" && (newestFat == "" || w.date+w.clock > want[newestFat].date+want[newestFat].clock) {
					newestFat = id
				}
			}
			dash := b.get("/")
			kg, _ := strconv.ParseFloat(want[newest].kg, 64)
			bmi, _ := strconv.ParseFloat(want[newest].bmi, 64)
			fat, _ := strconv.ParseFloat(want[newestFat].fat, 64)
			if !shows(dash.body, "weight", one(kg)) || !shows(dash.body, "bmi", one(bmi)) || !shows(dash.body, "fat", one(fat)) {
				t.Errorf("dashboard does not show weight %s, BMI %s, fat %s", one(kg), one(bmi), one(fat))
			}
			if src := b.get("/sources"); !strings.Contains(src.body, strconv.Itoa(guests)+" may be someone else") {
				t.Errorf("the Sources page does not offer the %d unattributed weigh-ins", guests)
			}

			// A second sync with nothing new is one request.
			calls := len(e.emu.WithingsLog())
			b.post("/sync", url.Values{})
			if s := b.waitSync(); s.State != "idle" || s.Requests != 1 || len(e.emu.WithingsLog())-calls != 1 {
				t.Errorf("a sync with nothing new: %+v, %d Withings calls", s, len(e.emu.WithingsLog())-calls)
			}
		})
	}
}

// TestWithingsIncremental: after a full sync, one group edited, one deleted and one added upstream; the next
// sync sends one request and the history equals the emulator's again.
func TestWithingsIncremental(t *testing.T) {
	e := newWithingsEnv(t, redirectDirect, "")
	b := e.browser()
	first := b.connectWithings(redirectDirect)
	var recent []emulator.WithingsGroup
	for _, g := range e.emu.WithingsGroups() {
		if g.Attrib == 0 && time.Since(time.Unix(g.Date, 0)) < 5*24*time.Hour {
			recent = append(recent, g)
		}
	}
	if len(recent) < 2 {
		t.Fatalf("%d weigh-ins in the last five days", len(recent))
	}
	e.emu.WithingsEdit(recent[0].GrpID, 77.77)
	e.emu.WithingsDelete(recent[1].GrpID)
	e.emu.WithingsAdd(emulator.WithingsGroup{Date: time.Now().Add(-time.Minute).Unix(), Model: "Body Comp", ModelID: 9,
		Measures: []emulator.WithingsMeasure{{Value: 7912, Type: withings.TypeWeight, Unit: -2}, {Value: 22125, Type: withings.TypeFatRatio, Unit: -3}}})
	calls := len(e.emu.WithingsLog())
	b.post("/sync", url.Values{})
	s := b.waitSync()
	for _, c := range e.emu.WithingsLog()[calls:] {
		t.Logf("incremental: %s action=%s lastupdate=%s offset=%q -> status %d", c.Path, c.Params["action"], c.Params["lastupdate"], c.Params["offset"], c.Status)
	}
	t.Logf("first sync %d requests; incremental %d", first.Requests, s.Requests)
	if s.State != "idle" || s.Requests != 1 {
		t.Errorf("incremental sync: %+v, want idle after 1 request", s)
	}
	want, _ := withingsWant(e.emu)
	rows := exportRows(t, b)
	if len(rows) != len(want) {
		t.Fatalf("export has %d rows, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		if w, ok := want[r[7]]; !ok || (withingsRow{r[0], r[1], r[2], r[3], r[4]}) != w {
			t.Errorf("grpid %s: export %v, want %+v (listed %t)", r[7], r, w, ok)
		}
	}
}

// TestWithingsRefreshUnderConcurrency: Withings refuses the access token early (status 401 inside an HTTP 200);
// many syncs and page loads at once cause one refresh and no dead grant.
func TestWithingsRefreshUnderConcurrency(t *testing.T) {
	e := newWithingsEnv(t, redirectDirect, "")
	b := e.browser()
	want := b.connectWithings(redirectDirect).Measurements
	e.emu.WithingsExpireAccessTokens()
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
	if _, refreshes, refusals, limited, _ := e.emu.WithingsStats(); refreshes != 1 || refusals != 0 || limited != 0 {
		t.Errorf("%d refreshes, %d refusals (503), %d 601s; want 1, 0, 0", refreshes, refusals, limited)
	}
	if s.State != "idle" || s.Measurements > want {
		t.Errorf("after the refresh: %+v", s)
	}
	if a, err := e.db.ConnectedAccounts(t.Context()); err != nil || len(a) != 1 || a[0].NeedsReconnect {
		t.Errorf("accounts %+v, %v", a, err)
	}
}

// TestWithingsTwinsWithFitbit: the same person's scale seen through Fitbit and Withings is one history.
func TestWithingsTwinsWithFitbit(t *testing.T) {
	e := newWithingsEnv(t, redirectDirect, "")
	b := e.browser()
	p := b.get("/login?provider=fitbit-oauth1")
	token := mustParse(t, p.location).Query().Get("oauth_token")
	if cb := b.get(b.decide(token, "allow")); cb.status != http.StatusSeeOther {
		t.Fatalf("Fitbit callback: %d", cb.status)
	}
	b.waitSync()
	b.connectWithings(redirectDirect)
	if rows, logs := exportRows(t, b), e.emu.WeightLogs(); len(rows) != len(logs) {
		t.Errorf("export has %d rows for %d weigh-ins seen through two providers", len(rows), len(logs))
	}
}

// TestWithingsCodeRefused: a pasted address whose code has been used is refused with a page, nothing stored.
func TestWithingsCodeRefused(t *testing.T) {
	e := newWithingsEnv(t, redirectPaste, "")
	b := e.browser()
	landed := b.consentWithings()
	if p := b.post("/callback", url.Values{"url": {landed.String()}}); p.status != http.StatusSeeOther {
		t.Fatalf("first paste: %d", p.status)
	}
	b.waitSync()
	before := len(exportRows(t, b))
	again := b.post("/callback", url.Values{"url": {landed.String()}})
	if again.status < 400 || again.status >= 500 {
		t.Errorf("the same address pasted twice: status %d", again.status)
	}
	if p := b.post("/callback", url.Values{"url": {"https://elsewhere.example.org/cb?" + landed.RawQuery}}); p.status != http.StatusBadRequest {
		t.Errorf("an address that is not the redirect URI: status %d", p.status)
	}
	if n := len(exportRows(t, b)); n != before {
		t.Errorf("refusals changed the history from %d to %d rows", before, n)
	}
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestWithingsSetupPage: /setup explains the three ways back from Withings with this app's callback address.
func TestWithingsSetupPage(t *testing.T) {
	e := newWithingsEnv(t, redirectDirect, "")
	p := e.browser().get("/setup")
	for _, want := range []string{`id="withings"`, "<code>" + e.app.URL + "/callback</code>", "withings-forward.html", "WITHINGS_REDIRECT_URI", "30 seconds"} {
		if p.status != http.StatusOK || !strings.Contains(p.body, want) {
			t.Errorf("GET /setup: status %d, lacks %q", p.status, want)
		}
	}
}

// TestWithings601WaitedOut: a 601 answer pauses the sync (state waiting) for wait_seconds, and no request leaves
// before the wait ends; then the sync completes.
func TestWithings601WaitedOut(t *testing.T) {
	e := newWithingsEnv(t, redirectDirect, "")
	b := e.browser()
	e.emu.SetFault(emulator.Fault{Status: 601, After: 1, Times: 1}) // the first history page answers 601, wait_seconds 2
	landed := b.consentWithings()
	done := make(chan page)
	go func() { done <- b.get("/callback?" + landed.RawQuery) }() // it waits for the first weigh-ins
	waiting, other := false, e.browser()
	for finished := false; !finished; {
		select {
		case p := <-done:
			if p.status != http.StatusSeeOther {
				t.Errorf("callback: %d", p.status)
			}
			finished = true
		case <-time.After(10 * time.Millisecond):
			waiting = waiting || other.status().State == "waiting"
		}
	}
	b.waitSync()
	if !waiting {
		t.Error("the sync never showed the state waiting")
	}
	var limited time.Time
	for _, c := range e.emu.WithingsLog() {
		switch {
		case c.Path != "/measure":
		case c.Status == 601:
			limited = c.At
		case !limited.IsZero() && c.At.Sub(limited) < 2*time.Second:
			t.Errorf("a request %v after the 601, before its 2-second wait ended", c.At.Sub(limited))
		}
	}
	want, guests := withingsWant(e.emu)
	if limited.IsZero() || b.status().State != "idle" || b.status().Measurements != len(want)+guests {
		t.Errorf("601 at %v; status %+v, want idle with %d", limited, b.status(), len(want)+guests)
	}
}
