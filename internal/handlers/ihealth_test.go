package handlers_test

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/ihealth"
	"github.com/bodystats/bodystats/internal/provider"
)

const (
	ihealthSC = "SC-test-01"
	ihealthSV = "SV-weight-01"
)

// newIHealthEnv is the app with iHealth configured against the emulator, whose iHealth part has the knobs o.
func newIHealthEnv(t *testing.T, o emulator.IHealthOptions) *env {
	t.Helper()
	return newEnvWith(t, emulator.Options{}, func(e *env, penv provider.Env) []provider.Provider {
		e.emu.AddIHealthClient(clientID, clientSecret, ihealthSC, ihealthSV, penv.CallbackURL)
		e.emu.SetIHealth(o)
		settings := map[string]string{"IHEALTH_CLIENT_ID": clientID, "IHEALTH_CLIENT_SECRET": clientSecret,
			"IHEALTH_SC": ihealthSC, "IHEALTH_SV": ihealthSV, "IHEALTH_API_URL": e.api.URL}
		penv.Get = func(k string) string { return settings[k] }
		return []provider.Provider{ihealth.Spec.New(penv)}
	})
}

// connectIHealth runs Connect iHealth, the consent page and the callback, and waits for the first sync.
func (b *browser) connectIHealth() page {
	t := b.e.t
	t.Helper()
	if p := b.get("/"); !strings.Contains(p.body, `href="/login?provider=ihealth">Connect iHealth`) {
		t.Fatalf("landing page offers no Connect iHealth:\n%s", p.body)
	}
	p := b.get("/login?provider=ihealth")
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, b.e.api.URL+ihealth.AuthPath+"?") {
		t.Fatalf("GET /login?provider=ihealth: status %d to %q", p.status, p.location)
	}
	consent := b.get(p.location)
	m := requestField.FindStringSubmatch(consent.body)
	if consent.status != http.StatusOK || m == nil {
		t.Fatalf("iHealth consent page: status %d\n%s", consent.status, consent.body)
	}
	cb := b.do(http.MethodPost, b.e.api.URL+ihealth.AuthPath, url.Values{"request": {m[1]}, "decision": {"allow"}})
	if cb.status != http.StatusFound || !strings.HasPrefix(cb.location, b.e.app.URL+"/callback?state=") {
		t.Fatalf("consent: status %d, location %q", cb.status, cb.location)
	}
	done := b.get(cb.location)
	if done.status != http.StatusSeeOther || done.location != "/" {
		t.Fatalf("callback: status %d, location %q, body %s", done.status, done.location, done.body)
	}
	if s := b.waitSync(); s.State != "idle" {
		t.Fatalf("first sync: %+v", s)
	}
	return b.get("/")
}

// TestIHealthFlow: Connect, consent, callback; the dashboard shows the emulator's newest numbers, and the store
// holds every weigh-in once with its local date and time, London's offset across every daylight-saving change,
// its kilograms, and no fat where iHealth sent 0.
func TestIHealthFlow(t *testing.T) {
	e := newIHealthEnv(t, emulator.IHealthOptions{})
	b := e.browser()
	dash := b.connectIHealth()
	logs := e.emu.WeightLogs()
	last, lastFat := latest(logs)
	if !shows(dash.body, "weight", one(last.WeightKg)) || !shows(dash.body, "bmi", one(last.BMI)) || !shows(dash.body, "fat", one(lastFat.FatPct)) {
		t.Fatalf("dashboard does not show weight %s, BMI %s, fat %s:\n%s", one(last.WeightKg), one(last.BMI), one(lastFat.FatPct), dash.body)
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
		if r[0] != l.Date || r[1] != l.Time || r[2] != strconv.FormatFloat(l.WeightKg, 'f', -1, 64) || r[4] != wantFat || r[6] != "ihealth" || len(r[7]) != 32 {
			t.Fatalf("export row %d = %v, want %s %s %v kg fat %q from ihealth", i, r, l.Date, l.Time, l.WeightKg, wantFat)
		}
	}
	checkZones(t, e, "")
	// The query-string credentials never reach the log.
	for _, secret := range []string{clientSecret, ihealthSC, ihealthSV, "AT*", "RT*", "access_token", "code="} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
	if s := b.status(); s.Requests > 3*len(logs)/ihealth.PageLength+20 {
		t.Errorf("first sync took %d requests for %d weigh-ins", s.Requests, len(logs))
	}

	// A second sync re-checks the last week only and changes nothing; a deletion upstream shows as a missing record.
	e.emu.DeleteIHealthRecord(rows[len(rows)-1][7])
	if p := b.post("/sync", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("POST /sync: status %d", p.status)
	}
	b.waitSync()
	if got := exportRows(t, b); len(got) != len(logs)-1 || got[len(got)-1][7] == rows[len(rows)-1][7] {
		t.Errorf("after the upstream deletion: %d rows, want %d without the deleted one", len(got), len(logs)-1)
	}
}

// checkZones: every stored iHealth weigh-in has London's offset at its wall clock ("" for style "empty").
func checkZones(t *testing.T, e *env, style string) {
	t.Helper()
	ms, err := e.db.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Europe/London")
	n := 0
	for _, m := range ms {
		if m.Provider != "ihealth" {
			continue
		}
		n++
		at, err := time.ParseInLocation("2006-01-02 15:04:05", m.Date+" "+m.Time, loc)
		if err != nil {
			t.Fatal(err)
		}
		want := at.Format("-07:00")
		if style == "empty" {
			want = ""
		}
		if m.TimeZone != want {
			t.Fatalf("zones %q: %s %s stored with zone %q, want %q", style, m.Date, m.Time, m.TimeZone, want)
		}
	}
	if n == 0 {
		t.Fatal("no iHealth weigh-ins stored")
	}
}

// TestIHealthZonesAndUnits: every TimeZone spelling gives the same local times and offsets; kg, lb and stone
// accounts store the same kilograms.
func TestIHealthZonesAndUnits(t *testing.T) {
	for _, c := range []struct {
		unit  int
		zones string
	}{{0, "signed"}, {1, "unsigned"}, {2, "int"}, {0, "empty"}, {1, "colon"}} {
		t.Run(c.zones+"/"+strconv.Itoa(c.unit), func(t *testing.T) {
			e := newIHealthEnv(t, emulator.IHealthOptions{Unit: c.unit, Zones: c.zones})
			b := e.browser()
			b.connectIHealth()
			logs := e.emu.WeightLogs()
			rows := exportRows(t, b)
			if len(rows) != len(logs) {
				t.Fatalf("export has %d rows, want %d", len(rows), len(logs))
			}
			for i, l := range logs {
				kg, err := strconv.ParseFloat(rows[i][2], 64)
				if err != nil || math.Abs(kg-l.WeightKg) > 1e-9 || rows[i][0] != l.Date || rows[i][1] != l.Time {
					t.Fatalf("row %d: %v, want %s %s %v kg", i, rows[i], l.Date, l.Time, l.WeightKg)
				}
			}
			checkZones(t, e, c.zones)
			// The account's own unit is the display unit until the person picks one.
			unit := []body.Unit{body.Kilograms, body.Pounds, body.Stone}[c.unit]
			last, _ := latest(logs)
			if p := b.get("/weight"); !strings.Contains(p.body, body.UnitLabel(unit)) {
				t.Errorf("/weight does not show %s for a %s account (latest %v kg)", body.UnitLabel(unit), unit, last.WeightKg)
			}
		})
	}
}

// TestIHealthTokens: an expired access token (iHealth says so with HTTP 200) is refreshed once, rotating or not;
// a dead grant marks the source "needs reconnect" and keeps its weigh-ins; a 503 burst makes the sync wait.
func TestIHealthTokens(t *testing.T) {
	for _, rotate := range []bool{false, true} {
		t.Run("rotate="+strconv.FormatBool(rotate), func(t *testing.T) {
			e := newIHealthEnv(t, emulator.IHealthOptions{Rotate: rotate})
			b := e.browser()
			b.connectIHealth()
			stored := len(exportRows(t, b))
			e.emu.ExpireIHealthTokens()
			b.post("/sync", url.Values{})
			if s := b.waitSync(); s.State != "idle" {
				t.Fatalf("sync after expiry: %+v", s)
			}
			if _, _, refreshes, _ := e.emu.IHealthRequests(); refreshes != 1 {
				t.Errorf("%d refreshes, want 1", refreshes)
			}
			b.post("/sync", url.Values{})
			b.waitSync()
			if _, _, refreshes, _ := e.emu.IHealthRequests(); refreshes != 1 {
				t.Errorf("%d refreshes after a sync with a fresh token, want still 1", refreshes)
			}

			e.emu.RevokeIHealthGrants()
			e.emu.ExpireIHealthTokens()
			b.post("/sync", url.Values{})
			s := b.waitSync()
			acct, err := e.db.FindAccount(t.Context(), "ihealth", e.emu.IHealthUserID())
			if err != nil || !acct.NeedsReconnect || s.State != "failed" {
				t.Fatalf("after revocation: %+v, account %+v (%v); want failed and needs reconnect", s, acct, err)
			}
			if p := b.get("/"); !strings.Contains(p.body, `href="/login?provider=ihealth">Reconnect`) {
				t.Errorf("no Reconnect banner:\n%s", p.body)
			}
			if n := len(exportRows(t, b)); n != stored {
				t.Errorf("%d rows after revocation, want the %d stored", n, stored)
			}
		})
	}
	e := newIHealthEnv(t, emulator.IHealthOptions{})
	b := e.browser()
	b.connectIHealth()
	e.emu.IHealthFault("burst", 100)
	b.post("/sync", url.Values{})
	deadline := time.Now().Add(10 * time.Second)
	for s := b.status(); s.State != "waiting"; s = b.status() {
		if time.Now().After(deadline) {
			t.Fatalf("during 503 bursts the sync is %+v, want waiting", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPublicProfile: the table of IDs the 2013 read is asked with, and what each page shows. The emulator only
// answers a request signed with the consumer key and an empty token secret, so a 200 is that signature checked.
func TestPublicProfile(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	if p := b.get("/"); !strings.Contains(p.body, `action="/profile/public"`) {
		t.Fatalf("the landing page does not offer the public read:\n%s", p.body)
	}
	logs := e.emu.WeightLogs()
	latestKg := logs[len(logs)-1].WeightKg
	cases := []struct {
		id     string
		status int
		says   []string
		sent   bool
	}{
		{"7BDEMO", 200, []string{"Sam", body.FormatWeight(latestKg, body.Kilograms), "2013 public-data read", "Nothing was stored", "no\n  sign-in was needed", `src="` + e.api.URL + `/images/avatar.svg"`}, true},
		{emulator.PublicNoBodyUserID, 200, []string{"USERNAME", "body data is not public"}, true},
		{emulator.PrivateUserID, 403, []string{"This profile is private"}, true},
		{"ZZZZZ9", 404, []string{"No such Fitbit user"}, true},
		{"1ABCD", 400, []string{"six letters or digits", "sent no request"}, false},
		{"1ABCDEF", 400, []string{"six letters or digits"}, false},
		{"1AB%2FDE", 400, []string{"six letters or digits"}, false},
		{"", 400, []string{"six letters or digits"}, false},
	}
	for _, c := range cases {
		before := e.emu.APIRequests()
		p := b.get("/profile/public?user=" + c.id)
		if p.status != c.status {
			t.Errorf("%q: status %d, want %d\n%s", c.id, p.status, c.status, p.body)
			continue
		}
		for _, s := range c.says {
			if !strings.Contains(p.body, s) {
				t.Errorf("%q: page does not say %q\n%s", c.id, s, p.body)
			}
		}
		if sent := e.emu.APIRequests() > before; sent != c.sent {
			t.Errorf("%q: request sent %v, want %v", c.id, sent, c.sent)
		}
	}
	if rows := exportRows(t, b); len(rows) != 0 {
		t.Errorf("the public reads stored %d rows", len(rows))
	}
	// In the viewer's unit, which needs an account to be set on; still nothing is stored.
	b.connect()
	stored := len(exportRows(t, b))
	if p := b.post("/settings", url.Values{"unit": {"lb"}}); p.status != http.StatusSeeOther {
		t.Fatalf("POST /settings: %d", p.status)
	}
	if p := b.get("/profile/public?user=7BDEMO"); !strings.Contains(p.body, body.FormatWeight(latestKg, body.Pounds)) {
		t.Errorf("in pounds: no %s\n%s", body.FormatWeight(latestKg, body.Pounds), p.body)
	}
	if n := len(exportRows(t, b)); n != stored {
		t.Errorf("the public read changed the history: %d rows, want %d", n, stored)
	}
	e.emu.SetGone(true)
	if p := b.get("/profile/public?user=7BDEMO"); p.status != http.StatusGone || !strings.Contains(p.body, "switched this off") {
		t.Errorf("retired provider: status %d\n%s", p.status, p.body)
	}
}
