package handlers_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
)

func one(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// shows reports whether a page shows value as the measure's headline number.
func shows(body, key, value string) bool {
	return strings.Contains(body, `data-measure="`+key+`">`+value+`<`)
}

// latest returns the emulator's newest weigh-in and its newest one with body fat.
func latest(logs []emulator.WeightLog) (last, lastFat emulator.WeightLog) {
	last = logs[len(logs)-1]
	for i := len(logs) - 1; i >= 0; i-- {
		if logs[i].HasFat {
			return last, logs[i]
		}
	}
	return last, emulator.WeightLog{}
}

func TestConnectFlow(t *testing.T) {
	e := newEnv(t)
	b := e.browser()

	landing := b.get("/")
	if landing.status != http.StatusOK || !strings.Contains(landing.body, "Connect Fitbit") || !strings.Contains(landing.body, `href="/login?provider=fitbit-oauth1"`) {
		t.Fatalf("landing page: status %d, no Connect control:\n%s", landing.status, landing.body)
	}

	dash := b.connect()
	logs := e.emu.WeightLogs()
	last, lastFat := latest(logs)
	if !shows(dash.body, "weight", one(last.WeightKg)) || !shows(dash.body, "bmi", one(last.BMI)) || !shows(dash.body, "fat", one(lastFat.FatPct)) {
		t.Fatalf("dashboard does not show weight %s, BMI %s, fat %s:\n%s", one(last.WeightKg), one(last.BMI), one(lastFat.FatPct), dash.body)
	}
	if n := strings.Count(dash.body, `<svg class="chart"`); n != 3 {
		t.Errorf("dashboard has %d charts, want 3", n)
	}

	for _, tt := range []struct{ path, key, value string }{
		{"/weight", "weight", one(last.WeightKg)},
		{"/bmi", "bmi", one(last.BMI)},
		{"/fat", "fat", one(lastFat.FatPct)},
	} {
		p := b.get(tt.path)
		if p.status != http.StatusOK || !shows(p.body, tt.key, tt.value) {
			t.Errorf("GET %s: status %d, want headline %s", tt.path, p.status, tt.value)
		}
		if !strings.Contains(p.body, "<td>"+last.Date+"</td><td>"+last.Time+"</td>") {
			t.Errorf("GET %s: table has no row for the latest weigh-in %s %s", tt.path, last.Date, last.Time)
		}
	}

	// Everything the emulator has is stored, unrounded, once, in the fewest requests: the profile and one
	// weight-log request per 31 days back to memberSince (fat rides along in the weight logs).
	s := b.status()
	if s.State != "idle" || s.Measurements != len(logs) {
		t.Errorf("status = %+v, want idle with %d measurements", s, len(logs))
	}
	if bound := fitbit.LowerBound(spanDays(t, e.emu.User().MemberSince)); float64(s.Requests) > 1.1*float64(bound) || e.emu.APIRequests() != s.Requests {
		t.Errorf("first sync made %d requests (emulator counted %d); the lower bound is %d, the engine may use 1.1x", s.Requests, e.emu.APIRequests(), bound)
	}
	rows := exportRows(t, b)
	if len(rows) != len(logs) {
		t.Fatalf("export has %d rows, want %d", len(rows), len(logs))
	}
	for i, l := range logs {
		r := rows[i]
		wantFat := ""
		if l.HasFat {
			wantFat = strconv.FormatFloat(l.FatPct, 'f', -1, 64)
		}
		want := []string{l.Date, l.Time, strconv.FormatFloat(l.WeightKg, 'f', -1, 64), strconv.FormatFloat(l.BMI, 'f', -1, 64), wantFat, l.Source, "fitbit-oauth1", strconv.FormatInt(l.LogID, 10)}
		if strings.Join(r, ",") != strings.Join(want, ",") {
			t.Fatalf("export row %d = %v, want %v", i, r, want)
		}
	}

	// A second sync changes nothing.
	if p := b.post("/sync", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("POST /sync: status %d", p.status)
	}
	if s := b.waitSync(); s.State != "idle" || s.Measurements != len(logs) {
		t.Errorf("after a second sync: %+v, want idle with %d measurements", s, len(logs))
	}

	// Disconnect: the Connect control is back, the history stays in view; reconnecting duplicates nothing.
	if p := b.post("/logout", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("POST /logout: status %d", p.status)
	}
	if p := b.get("/"); !strings.Contains(p.body, `href="/login?provider=fitbit-oauth1">Connect Fitbit`) || !shows(p.body, "weight", one(last.WeightKg)) {
		t.Fatalf("after logout / lacks the Connect control or the stored history:\n%s", p.body)
	}
	if n := len(exportRows(t, b)); n != len(logs) {
		t.Errorf("after logout export has %d rows, want %d", n, len(logs))
	}
	b.connect()
	if n := len(exportRows(t, b)); n != len(logs) {
		t.Errorf("after reconnecting export has %d rows, want %d", n, len(logs))
	}
}

// spanDays counts the days from the account's first day to today in its zone, inclusive.
func spanDays(t *testing.T, memberSince string) int {
	first, err := time.Parse(time.DateOnly, memberSince)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	today, _ := time.Parse(time.DateOnly, time.Now().In(loc).Format(time.DateOnly))
	return int(today.Sub(first).Hours()/24) + 1
}

func exportRows(t *testing.T, b *browser) [][]string {
	t.Helper()
	p := b.get("/export.csv")
	if p.status != http.StatusOK {
		t.Fatalf("GET /export.csv: status %d", p.status)
	}
	records, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(records[0], ","); got != "date,time,weight_kg,bmi,fat_pct,source,provider,external_id" {
		t.Fatalf("export header = %q", got)
	}
	return records[1:]
}

// TestHeadersAndCookie: every page carries the security headers, and the session cookie its flags.
func TestHeadersAndCookie(t *testing.T) {
	e := newEnv(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(e.app.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := resp.Header
	if h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("headers = %v", h)
	}
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == "bodystats" {
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
				t.Errorf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over http, Path=/", c)
			}
		}
	}
	if !found {
		t.Error("GET /login set no session cookie")
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	p := e.browser().get("/healthz")
	if p.status != http.StatusOK || p.body != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", p.status, p.body)
	}
}

func TestPagesWithoutAccount(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, path := range []string{"/weight", "/bmi", "/fat"} {
		if p := b.get(path); p.status != http.StatusSeeOther || p.location != "/" {
			t.Errorf("GET %s without an account: %d to %q, want 303 to /", path, p.status, p.location)
		}
	}
	if p := b.post("/sync", url.Values{}); p.status != http.StatusConflict {
		t.Errorf("POST /sync without an account: %d, want 409", p.status)
	}
	if s := b.status(); s.State != "idle" || s.Measurements != 0 {
		t.Errorf("status without an account = %+v", s)
	}
	if rows := exportRows(t, b); len(rows) != 0 {
		t.Errorf("export of an empty database has %d rows", len(rows))
	}
	if p := b.get("/nope"); p.status != http.StatusNotFound {
		t.Errorf("GET /nope: %d, want 404", p.status)
	}
	if p := b.get("/logout"); p.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /logout: %d, want 405", p.status)
	}
}
