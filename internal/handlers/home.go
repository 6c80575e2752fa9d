package handlers

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/chart"
	"github.com/bodystats/bodystats/internal/likeness"
	"github.com/bodystats/bodystats/internal/store"
)

type landingData struct {
	Providers []landingProvider
	SetupHint bool // no provider for real data is configured: point at /setup
	// Public offers the 2013 public-profile read when an OAuth 1.0a consumer is configured; Example is a user
	// whose profile is public (the demo user), or "".
	Public        bool
	PublicExample string
	Paste         bool // a provider's redirect may land where the app cannot be reached: offer the paste box
}

type landingProvider struct{ Name, Action, Note string }

type dashboardData struct {
	Connect     []landingProvider // offered when no account is connected (the history came from imports, or stayed after a disconnect)
	Count       int
	First, Last string
	Unit        string

	Latest     string // the newest weigh-in, in the person's unit
	LatestAt   string
	Trend      string
	Rate       string // "−0.35 kg/week"; "" until two weeks of weigh-ins
	Calories   string // the daily energy balance the rate implies
	Deltas     []deltaView
	Goal       *goalView
	Cards      []card
	Likeness   *likeness.Pair // nil when hidden or without data
	ShowFigure bool           // the figure is hidden: offer to show it again
}

type deltaView struct {
	Label, Value string
	OK           bool
}

type goalView struct {
	Target, ToGo, Way, Date string // Way: "to lose" or "to gain"
	HasDate, Reached        bool
}

// card is one measure on the dashboard: its latest value and a chart of the last 90 days.
type card struct {
	Key, Name, Link, Unit string
	Value                 string // "" when the measure has no value yet
	Note                  string
	Extra                 string // a second line: BMI category, fat and lean mass
	Chart                 chart.Chart
}

// dashboardDays is the span of the dashboard's compact charts and of the likeness's "then".
const dashboardDays = 90

// home serves GET /: the landing page with a Connect control when nothing is stored and no account is
// connected, else the dashboard: where the person is (latest weigh-in and trend) and where they are heading
// (rate, deltas, goal), the latest BMI and body composition, compact charts and the likeness.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	h.cached(w, r, func() ([]byte, bool) {
		hist, v, err := h.loadView(r)
		if errors.Is(err, store.ErrNotFound) {
			return h.renderBytes(w, r, "landing.html", h.landingPage()), true
		}
		if err != nil {
			h.serverError(w, r, err)
			return nil, false
		}
		return h.renderBytes(w, r, "dashboard.html", h.pageWith("Dashboard", "dashboard", hist.acct, hist.syncs, h.dashboard(hist, v))), true
	})
}

func (h *Handler) dashboard(hist history, v view) dashboardData {
	data := dashboardData{Count: len(v.rows), Unit: body.UnitLabel(v.unit)}
	if hist.acct == nil {
		data.Connect = h.offers()
	}
	if len(v.rows) > 0 {
		first, last := v.rows[0], v.rows[len(v.rows)-1]
		data.First, data.Last = first.Date, last.Date
		data.Latest, data.LatestAt = body.FormatWeight(last.WeightKg, v.unit), last.Date+" "+last.Time
		h.fillTrend(&data, v)
		if !v.settings.HideLikeness {
			data.Likeness = figure(v)
		}
		data.ShowFigure = v.settings.HideLikeness
	}
	since := time.Time{}
	if n := len(v.points); n > 0 {
		since = v.points[n-1].T.AddDate(0, 0, -dashboardDays)
	}
	for _, ms := range allMeasures {
		data.Cards = append(data.Cards, dashboardCard(ms, v, since))
	}
	return data
}

// fillTrend adds the trend, the weekly rate and what it means, the deltas and the goal.
func (h *Handler) fillTrend(d *dashboardData, v view) {
	trendKg, _ := v.latestTrend()
	d.Trend = body.FormatWeight(trendKg, v.unit)
	rate, ok := body.WeeklyRate(v.trend)
	if ok {
		d.Rate = body.FormatRate(rate, v.unit)
		d.Calories = calories(body.DailyCalories(rate))
	}
	for _, dl := range body.Deltas(v.points, v.trend) {
		d.Deltas = append(d.Deltas, deltaView{Label: dl.Label, Value: body.FormatChange(dl.Kg, v.unit), OK: dl.OK})
	}
	if v.settings.GoalKg > 0 {
		g := body.GoalProgress(v.settings.GoalKg, trendKg, rate, v.points[len(v.points)-1].T)
		gv := &goalView{Target: body.FormatWeight(g.TargetKg, v.unit), ToGo: body.FormatWeight(math.Abs(g.ToGoKg), v.unit), HasDate: g.HasDate && ok, Reached: g.Reached}
		gv.Way = "to gain"
		if g.ToGoKg < 0 {
			gv.Way = "to lose"
		}
		if gv.HasDate {
			gv.Date = g.Projected.Format(time.DateOnly)
		}
		d.Goal = gv
	}
}

func calories(kcal float64) string {
	switch {
	case kcal < -25:
		return "about " + strconv.Itoa(int(-kcal+0.5)) + " kcal a day less than you burn"
	case kcal > 25:
		return "about " + strconv.Itoa(int(kcal+0.5)) + " kcal a day more than you burn"
	}
	return "eating about what you burn"
}

func dashboardCard(ms measure, v view, since time.Time) card {
	rs := ms.readings(v)
	c := card{Key: ms.Key, Name: ms.Name, Link: ms.Link, Unit: ms.unit(v.unit), Note: ms.missing}
	opts := compact
	if ms.Key == weightMeasure.Key {
		opts.Series = []chart.Series{{Points: trendPoints(v, since), Class: "trend", Line: true}}
		opts.NoDots = true
	}
	c.Chart = ms.chart(rs, since, v.unit, opts)
	if len(rs) == 0 {
		return c
	}
	latest := rs[len(rs)-1]
	c.Value, c.Note = latest.Value, "Latest, "+latest.Date+" "+latest.Time
	switch ms.Key {
	case bmiMeasure.Key:
		c.Extra = body.Category(latest.v).Name
	case fatMeasure.Key:
		for i := len(v.rows) - 1; i >= 0; i-- {
			if m := v.rows[i]; m.FatPct != nil {
				fat, lean := body.Composition(m.WeightKg, *m.FatPct)
				c.Extra = body.FormatWeight(fat, v.unit) + " fat mass, " + body.FormatWeight(lean, v.unit) + " lean mass"
				break
			}
		}
	}
	return c
}

// trendPoints is the trend since t, in the person's unit, for a chart layer.
func trendPoints(v view, since time.Time) []chart.Point {
	var out []chart.Point
	for _, p := range v.trend[v.since(since):] {
		out = append(out, chart.Point{T: p.T, V: body.ValueIn(p.Kg, v.unit)})
	}
	return out
}

func (h *Handler) landingPage() page {
	d := landingData{Providers: h.offers(), SetupHint: !h.realProvider()}
	for _, p := range h.providers {
		d.Paste = d.Paste || p.Info().Paste
	}
	if pr, ok := h.publicReader(); ok {
		d.Public, d.PublicExample = true, pr.PublicExample()
	}
	return h.newPage("Welcome", "", nil, d)
}

// offers lists the providers a person can connect, as the landing page shows them.
func (h *Handler) offers() []landingProvider {
	var out []landingProvider
	for _, p := range h.providers {
		info := p.Info()
		out = append(out, landingProvider{Name: p.Name(), Action: info.Action, Note: info.Note})
	}
	return out
}
