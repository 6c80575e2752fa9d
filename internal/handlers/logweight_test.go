package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLogWeightFromDashboard: the dashboard's Log weight form sends only a weight (and maybe fat); the weigh-in
// is stored at the current time and the person lands back on the dashboard.
func TestLogWeightFromDashboard(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	c.signin(ownerPassword)
	if a := c.get("/"); !strings.Contains(a.body, `class="log-form"`) || !strings.Contains(a.body, `name="from" value="dashboard"`) {
		t.Fatalf("the dashboard has no Log weight form:\n%s", a.body)
	}
	before := time.Now()
	a := c.post("/weighins", url.Values{"from": {"dashboard"}, "weight": {"81.3"}, "fat": {"20.5"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/" {
		t.Fatalf("POST /weighins from the dashboard: %d to %q", a.status, a.header.Get("Location"))
	}
	csv := c.get("/export.csv").body
	var row string
	for _, l := range strings.Split(csv, "\n") {
		if strings.Contains(l, ",81.3,") {
			row = l
		}
	}
	if row == "" || !strings.Contains(row, ",20.5,") || !strings.HasPrefix(row, before.Format(time.DateOnly)) {
		t.Fatalf("logged weigh-in row %q, want today's with 20.5%% fat\n%s", row, csv)
	}
	for _, bad := range []url.Values{
		{"from": {"dashboard"}, "weight": {""}},
		{"from": {"dashboard"}, "weight": {"81"}, "fat": {"90"}},
		{"from": {"dashboard"}, "weight": {"81"}, "date": {"2026-11-30"}}, // a date without a time
	} {
		if a := c.post("/weighins", bad); a.status != http.StatusBadRequest || !strings.Contains(a.body, `href="/"`) {
			t.Errorf("POST /weighins %v: %d, want 400 with a way back to the dashboard", bad, a.status)
		}
	}
}
