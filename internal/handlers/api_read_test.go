package handlers_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/body"
)

type summaryAnswer struct {
	Latest *struct {
		Time     string   `json:"time"`
		WeightKg float64  `json:"weight_kg"`
		FatPct   *float64 `json:"fat_pct"`
		BMI      *float64 `json:"bmi"`
	} `json:"latest"`
	TrendKg       *float64 `json:"trend_kg"`
	WeeklyRateKg  *float64 `json:"weekly_rate_kg"`
	BMI           *float64 `json:"bmi"`
	BMICategory   *string  `json:"bmi_category"`
	FatPct        *float64 `json:"fat_pct"`
	Unit          string   `json:"unit"`
	KcalPerDay    *float64 `json:"kcal_per_day"`
	GoalKg        *float64 `json:"goal_kg"`
	GoalToGoKg    *float64 `json:"goal_to_go_kg"`
	GoalReached   *bool    `json:"goal_reached"`
	ProjectedDate *string  `json:"projected_date"`
	Count         int      `json:"count"`
}

func measured(page, key string) string {
	m := regexp.MustCompile(`data-measure="` + regexp.QuoteMeta(key) + `">([^<]*)<`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// TestSummaryMatchesDashboard: every number of /api/v1/summary is the one the dashboard shows, in each unit.
func TestSummaryMatchesDashboard(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	tok, _ := newToken(t, e.db, "home-assistant")
	hist, _ := e.db.History(t.Context())
	goal := math.Round(hist[len(hist)-1].WeightKg - 6)
	for _, u := range []body.Unit{body.Kilograms, body.Pounds} {
		t.Run(string(u), func(t *testing.T) {
			goalIn := strconv.FormatFloat(body.ValueIn(goal, u), 'f', 1, 64)
			if p := b.post("/settings", url.Values{"unit": {string(u)}, "goal": {goalIn}}); p.status != http.StatusSeeOther {
				t.Fatalf("POST /settings: %d %s", p.status, p.body)
			}
			a := e.apiGet("/api/v1/summary", tok)
			var s summaryAnswer
			if a.status != http.StatusOK || json.Unmarshal([]byte(a.body), &s) != nil || s.Latest == nil || s.TrendKg == nil {
				t.Fatalf("summary: %d %s", a.status, a.body)
			}
			dash := b.get("/").body
			if s.Unit != string(u) {
				t.Errorf("unit %q, want %q", s.Unit, u)
			}
			if got, want := body.FormatWeight(*s.TrendKg, u), measured(dash, "trend"); got != want {
				t.Errorf("trend: summary %s, dashboard %s", got, want)
			}
			if got, want := body.FormatWeight(s.Latest.WeightKg, u), measured(dash, "latest"); got != want {
				t.Errorf("latest: summary %s, dashboard %s", got, want)
			}
			at, err := time.Parse(time.RFC3339, s.Latest.Time)
			if err != nil || !strings.Contains(dash, "</span>, "+at.Format(time.DateTime)) {
				t.Errorf("latest time %s (%v) is not the dashboard's", s.Latest.Time, err)
			}
			if s.WeeklyRateKg == nil || s.KcalPerDay == nil {
				t.Fatalf("no weekly rate from a year of weigh-ins: %s", a.body)
			}
			if got, want := body.FormatRate(*s.WeeklyRateKg, u), measured(dash, "rate"); got != want {
				t.Errorf("rate: summary %s, dashboard %s", got, want)
			}
			if kcal := strconv.Itoa(int(math.Abs(*s.KcalPerDay) + 0.5)); math.Abs(*s.KcalPerDay) > 25 && !strings.Contains(dash, "about "+kcal+" kcal a day") {
				t.Errorf("kcal %v is not the dashboard's", *s.KcalPerDay)
			}
			if s.BMI == nil || s.BMICategory == nil || !strings.HasPrefix(measured(dash, "bmi"), strconv.FormatFloat(*s.BMI, 'f', 1, 64)) || !strings.Contains(dash, *s.BMICategory) {
				t.Errorf("BMI %v %v is not the dashboard's %q", s.BMI, s.BMICategory, measured(dash, "bmi"))
			}
			if s.FatPct == nil || !strings.HasPrefix(measured(dash, "fat"), strconv.FormatFloat(*s.FatPct, 'f', 1, 64)) {
				t.Errorf("fat %v is not the dashboard's %q", s.FatPct, measured(dash, "fat"))
			}
			if s.GoalKg == nil || math.Abs(*s.GoalKg-goal) > 0.05 || s.GoalToGoKg == nil || s.GoalReached == nil {
				t.Fatalf("goal: %s", a.body)
			}
			if got, want := body.FormatWeight(math.Abs(*s.GoalToGoKg), u), measured(dash, "to-go"); got != want {
				t.Errorf("to go: summary %s, dashboard %s", got, want)
			}
			if s.ProjectedDate != nil && !strings.Contains(dash, "around <strong>"+*s.ProjectedDate+"</strong>") {
				t.Errorf("projected %s is not the dashboard's", *s.ProjectedDate)
			}
			if s.ProjectedDate == nil && strings.Contains(dash, "around <strong>") {
				t.Error("the dashboard projects a date the summary does not")
			}
		})
	}
}

// TestWeighinsAreTheHistory: GET /api/v1/weighins is the merged history, oldest first; since cuts it.
func TestWeighinsAreTheHistory(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	tok, _ := newToken(t, e.db, "script")
	hist, _ := e.db.History(t.Context())
	var list struct {
		Weighins []struct {
			Time     string   `json:"time"`
			WeightKg float64  `json:"weight_kg"`
			FatPct   *float64 `json:"fat_pct"`
		} `json:"weighins"`
	}
	if a := e.apiGet("/api/v1/weighins", tok); a.status != 200 || json.Unmarshal([]byte(a.body), &list) != nil {
		t.Fatalf("GET: %d", a.status)
	}
	if len(list.Weighins) != len(hist) {
		t.Fatalf("%d weigh-ins, the history holds %d", len(list.Weighins), len(hist))
	}
	for i, w := range list.Weighins {
		at, err := time.Parse(time.RFC3339, w.Time)
		if m := hist[i]; err != nil || w.WeightKg != m.WeightKg || at.Format(time.DateTime) != m.Date+" "+m.Time || (w.FatPct == nil) != (m.FatPct == nil) {
			t.Fatalf("weigh-in %d: %+v, history %+v", i, w, m)
		}
	}
	since := list.Weighins[len(list.Weighins)-10].Time
	if a := e.apiGet("/api/v1/weighins?since="+url.QueryEscape(since), tok); json.Unmarshal([]byte(a.body), &list) != nil || len(list.Weighins) != 10 || list.Weighins[0].Time != since {
		t.Fatalf("since %s: %d weigh-ins, want the last 10", since, len(list.Weighins))
	}
	for _, bad := range []string{"yesterday", "2026-11-30T07:00:00"} {
		if a := e.apiGet("/api/v1/weighins?since="+bad, tok); a.status != http.StatusBadRequest || !strings.Contains(a.body, "RFC 3339") {
			t.Errorf("since=%s: %d %s", bad, a.status, a.body)
		}
	}
}

// TestPushThenSync: a weigh-in pushed from the phone and then synced from the scale's account is one weigh-in,
// the scale's; pushing it again adds nothing.
func TestPushThenSync(t *testing.T) {
	e := newEnv(t)
	tok, st := newToken(t, e.db, "phone")
	logs := e.emu.WeightLogs()
	last := logs[len(logs)-1]
	london, _ := time.LoadLocation("Europe/London")
	at, _ := time.ParseInLocation(time.DateTime, last.Date+" "+last.Time, london)
	one := fmt.Sprintf(`{"weighins": [{"time": %q, "weight_kg": %v}]}`, at.Format(time.RFC3339), last.WeightKg)
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, one)); p.Added != 1 {
		t.Fatalf("push before sync: %+v", p)
	}
	e.browser().connect()
	hist, _ := e.db.History(t.Context())
	n := 0
	for _, m := range hist {
		if m.Date == last.Date && m.Time[:5] == last.Time[:5] {
			n++
			if m.SourceID == st.SourceID {
				t.Errorf("the pushed copy shows, not the scale's reading: %+v", m)
			}
		}
	}
	if n != 1 {
		t.Fatalf("the weigh-in of %s %s is %d times in the history, want once", last.Date, last.Time, n)
	}
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, one)); p.Added != 0 {
		t.Fatalf("push after sync: %+v, want nothing added", p)
	}
	other, _ := newToken(t, e.db, "tablet")
	if p := decodePush(t, e.apiPost("/api/v1/weighins", other, one)); p.Added != 0 || p.Merged != 1 {
		t.Fatalf("another token pushing it: %+v, want merged", p)
	}
}

// TestChartSVG: the weight chart stands alone (its own xmlns and stylesheet, well-formed XML), for a token or,
// with no password on loopback, for a local page.
func TestChartSVG(t *testing.T) {
	e := newEnv(t)
	e.browser().connect()
	tok, _ := newToken(t, e.db, "dashboard")
	for _, rg := range []string{"", "?range=90d", "?range=1y", "?range=all"} {
		a := e.apiGet("/api/v1/chart.svg"+rg, tok)
		if a.status != 200 || a.header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(a.body, "<?xml") ||
			!strings.Contains(a.body, `xmlns="http://www.w3.org/2000/svg"`) || !strings.Contains(a.body, "<style>") || !strings.Contains(a.body, "chart-layer trend") {
			t.Fatalf("chart.svg%s: %d %s\n%.400s", rg, a.status, a.header.Get("Content-Type"), a.body)
		}
		dec := xml.NewDecoder(strings.NewReader(a.body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("chart.svg%s is not well-formed XML: %v", rg, err)
			}
		}
	}
	if a := e.apiGet("/api/v1/chart.svg?range=2w", tok); a.status != http.StatusBadRequest {
		t.Fatalf("range=2w: %d", a.status)
	}
	if a := e.apiGet("/api/v1/chart.svg", ""); a.status != 200 {
		t.Fatalf("no token, no password, loopback: %d", a.status)
	}
	if a := e.apiGet("/api/v1/chart.svg", "bst_"+strings.Repeat("x", 43)); a.status != http.StatusUnauthorized {
		t.Fatalf("a wrong token: %d", a.status)
	}
}

// TestChartNeedsSessionOrToken: with a password set, the chart needs a signed-in session or a token.
func TestChartNeedsSessionOrToken(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	tok, _ := newToken(t, e.db, "dashboard")
	if a := apiCall(t, e.app.URL, "GET", "/api/v1/chart.svg", "", nil, nil); a.status != http.StatusUnauthorized || strings.Contains(a.body, secretWeight) {
		t.Fatalf("no session, no token: %d", a.status)
	}
	if a := apiCall(t, e.app.URL, "GET", "/api/v1/chart.svg", tok, nil, nil); a.status != 200 || !strings.Contains(a.body, "<svg") {
		t.Fatalf("token: %d", a.status)
	}
	c := e.client()
	c.signin(ownerPassword)
	if a := c.get("/api/v1/chart.svg?range=all"); a.status != 200 || !strings.Contains(a.body, "<svg") {
		t.Fatalf("signed in: %d", a.status)
	}
	if a := c.get("/api/v1/summary"); a.status != http.StatusUnauthorized {
		t.Fatalf("summary with a session and no token: %d, want 401 (the data API takes tokens only)", a.status)
	}
}
