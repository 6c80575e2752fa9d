package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/chart"
	"github.com/bodystats/bodystats/internal/store"
)

type landingData struct {
	Providers []landingProvider
	SetupHint bool // no provider for real data is configured: point at /setup
}

type landingProvider struct{ Name, Action, Note string }

type dashboardData struct {
	Connect     []landingProvider // offered when no account is connected (the history came from imports, or stayed after a disconnect)
	Count       int
	First, Last string
	Cards       []card
}

// card is one measure on the dashboard: its latest value and a chart of the last 90 days.
type card struct {
	Key, Name, Link, Unit string
	Value                 string // "" when the measure has no value yet
	Note                  string
	Chart                 chart.Chart
}

// dashboardDays is the span of the dashboard's compact charts.
const dashboardDays = 90

// home serves GET /: the landing page with a Connect control when no account is connected, else the dashboard.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	hist, err := h.history(r)
	if errors.Is(err, store.ErrNotFound) {
		h.landing(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	rows := hist.rows
	data := dashboardData{Count: len(rows)}
	if hist.acct == nil {
		data.Connect = h.offers()
	}
	if len(rows) > 0 {
		data.First, data.Last = rows[0].Date, rows[len(rows)-1].Date
	}
	for _, ms := range allMeasures {
		rs := ms.readings(rows, hist.heightCm)
		c := card{Key: ms.Key, Name: ms.Name, Link: ms.Link, Unit: ms.Unit, Note: ms.missing}
		if len(rs) > 0 {
			latest := rs[len(rs)-1]
			c.Value = latest.Value
			c.Note = "Latest, " + latest.Date + " " + latest.Time
			c.Chart = ms.chart(rs, latest.at.AddDate(0, 0, -dashboardDays), true)
		} else {
			c.Chart = ms.chart(nil, time.Time{}, true)
		}
		data.Cards = append(data.Cards, c)
	}
	h.render(w, r, http.StatusOK, "dashboard.html", h.newPage("Dashboard", "dashboard", hist.acct, data))
}

func (h *Handler) landing(w http.ResponseWriter, r *http.Request) {
	data := landingData{Providers: h.offers(), SetupHint: !h.realProvider()}
	h.render(w, r, http.StatusOK, "landing.html", h.newPage("Welcome", "", nil, data))
}

// offers lists the providers a person can connect, as the landing page shows them.
func (h *Handler) offers() []landingProvider {
	var out []landingProvider
	for _, p := range h.providers {
		out = append(out, landingProvider{Name: p.Name(), Action: p.Action, Note: p.Note})
	}
	return out
}
