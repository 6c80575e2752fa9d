package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/chart"
	"github.com/bodystats/bodystats/internal/store"
)

type measureData struct {
	Key, Name, Unit string
	Value           string // latest value, "" when there is none
	Note            string
	NeedsHeight     bool
	Chart           chart.Chart
	Ranges          []link
	From, To        string // the range shown, for the custom-range form
	Views           []link // body fat: percent, fat mass, lean mass
	Rows            []tableRow
	Hideable        bool // rows can be hidden as outliers (the weight page)
}

type link struct {
	Label, Href string
	Current     bool
}

// tableRow is one line of a page's table, newest first; hidden weigh-ins are listed so they can be restored.
type tableRow struct {
	Date, Time, Value, Trend, Source string
	Hidden                           bool
	Key                              string // "account/provider/id": the hide form's button value
}

// ranges are the range picker's choices; the default is a year.
var ranges = []struct {
	key, label string
	days       int // 0: everything
}{{"1m", "1M", 30}, {"3m", "3M", 91}, {"6m", "6M", 182}, {"1y", "1Y", 365}, {"all", "All", 0}}

// measurePage serves GET /weight, GET /bmi and GET /fat: one measure over a chosen range (?range=1m|3m|6m|1y|all,
// or ?from=&to= as YYYY-MM-DD), as a chart and a table a click away.
func (h *Handler) measurePage(page measure) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.cached(w, r, func() ([]byte, bool) {
			hist, v, err := h.loadView(r)
			if errors.Is(err, store.ErrNotFound) {
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return nil, false
			}
			if err != nil {
				h.serverError(w, r, err)
				return nil, false
			}
			ms := page // per request: the body-fat page picks one of its views
			q := r.URL.Query()
			if ms.Key == fatMeasure.Key {
				ms = fatView(q.Get("show"))
			}
			from, to, key, err := pickRange(q, hist.rows)
			if err != nil {
				h.fail(w, r, http.StatusBadRequest, problem{Heading: "That range does not work", Message: "Give a start and an end as YYYY-MM-DD, the start first.", Next: ms.Link, NextLabel: "Back"}, nil)
				return nil, false
			}
			data := h.measureData(ms, v, hist, from, to)
			data.Ranges = rangeLinks(ms.Link, key)
			if ms.Key == fatMeasure.Key || ms.Key == fatMassMeasure.Key || ms.Key == leanMassMeasure.Key {
				data.Views = []link{{"Body fat %", "/fat", ms.Key == fatMeasure.Key}, {"Fat mass", "/fat?show=fat-mass", ms.Key == fatMassMeasure.Key}, {"Lean mass", "/fat?show=lean-mass", ms.Key == leanMassMeasure.Key}}
			}
			return h.renderBytes(w, r, "measure.html", h.pageWith(ms.Name, pageKey(ms), hist.acct, hist.syncs, data)), true
		})
	}
}

func (h *Handler) measureData(ms measure, v view, hist history, from, to time.Time) measureData {
	inRange := func(t time.Time) bool { return !t.Before(from) && t.Before(to.AddDate(0, 0, 1)) }
	data := measureData{Key: ms.Key, Name: ms.Name, Unit: ms.unit(v.unit), Note: ms.missing, Hideable: ms.Key == weightMeasure.Key,
		From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
	data.NeedsHeight = ms.Key == bmiMeasure.Key && v.heightCm == 0
	var pts []chart.Point
	var trend []chart.Point
	for i, m := range v.rows {
		val, ok := ms.value(m, v)
		if !ok || !inRange(at(m)) {
			continue
		}
		p := chart.Point{T: at(m), V: val}
		if ms.Key == weightMeasure.Key {
			// Floaters and sinkers: each weigh-in above or below the trend.
			p.Class = "below"
			if m.WeightKg > v.trend[i].Kg {
				p.Class = "above"
			}
			trend = append(trend, chart.Point{T: v.trend[i].T, V: body.ValueIn(v.trend[i].Kg, v.unit)})
		}
		pts = append(pts, p)
	}
	// 500 points draw a decade faithfully (extremes kept) and keep the page under 150 KB.
	opts := chart.Options{Title: ms.Name, Unit: data.Unit, MaxPoints: 500}
	if data.Unit != "" {
		opts.Title += " (" + data.Unit + ")"
	}
	switch ms.Key {
	case weightMeasure.Key:
		opts.Series = []chart.Series{{Points: trend, Class: "trend", Line: true}}
		if v.settings.GoalKg > 0 {
			opts.HLines = []chart.HLine{{V: body.ValueIn(v.settings.GoalKg, v.unit), Class: "goal", Label: "Goal " + body.FormatWeight(v.settings.GoalKg, v.unit)}}
		}
	case bmiMeasure.Key:
		for _, c := range body.WHOCategories {
			opts.Bands = append(opts.Bands, chart.Band{From: c.Min, To: c.Max, Class: bandClass(c.Name), Label: c.Name})
		}
	}
	data.Chart = chart.New(pts, opts)
	data.Rows = tableRows(ms, v, hist, inRange)
	if rs := ms.readings(v); len(rs) > 0 {
		latest := rs[len(rs)-1]
		data.Value = latest.Value
		data.Note = "Latest, " + latest.Date + " " + latest.Time + " · " + strconv.Itoa(len(pts)) + " values in this range"
	}
	return data
}

// tableRows lists the range's weigh-ins newest first, hidden ones included so they can be restored.
func tableRows(ms measure, v view, hist history, inRange func(time.Time) bool) []tableRow {
	var out []tableRow
	k := 0 // index of the next visible row in v.rows, which keeps hist.rows' order
	for _, m := range hist.rows {
		trendIdx := -1
		if !m.Hidden {
			trendIdx, k = k, k+1
		}
		val, ok := ms.value(m, v)
		if !ok || !inRange(at(m)) {
			continue
		}
		row := tableRow{Date: m.Date, Time: m.Time, Value: formatValue(val), Source: m.Source, Hidden: m.Hidden,
			Key: strconv.FormatInt(m.SourceID, 10) + "/" + m.Provider + "/" + m.ExternalID}
		if trendIdx >= 0 && ms.Key == weightMeasure.Key {
			row.Trend = formatValue(body.ValueIn(v.trend[trendIdx].Kg, v.unit))
		}
		out = append(out, row)
	}
	slices.Reverse(out)
	return out
}

// pickRange reads the range picker's choice; the default is the last year of the history. Ranges end on the
// newest stored weigh-in, hidden or not, so a hidden one still shows in the table to be restored.
func pickRange(q url.Values, rows []store.Measurement) (from, to time.Time, key string, err error) {
	to = time.Now().UTC()
	if n := len(rows); n > 0 {
		to = at(rows[n-1])
	}
	to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	if q.Get("from") != "" || q.Get("to") != "" {
		f, err1 := time.Parse(time.DateOnly, q.Get("from"))
		t, err2 := time.Parse(time.DateOnly, q.Get("to"))
		if err1 != nil || err2 != nil || t.Before(f) {
			return time.Time{}, time.Time{}, "", errors.New("bad custom range")
		}
		return f, t, "custom", nil
	}
	key = q.Get("range")
	for _, rg := range ranges {
		if rg.key == key || (key == "" && rg.key == "1y") {
			if rg.days == 0 {
				return time.Time{}, to, rg.key, nil
			}
			return to.AddDate(0, 0, -rg.days), to, rg.key, nil
		}
	}
	return time.Time{}, time.Time{}, "", errors.New("unknown range")
}

func rangeLinks(base, current string) []link {
	var out []link
	for _, rg := range ranges {
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("range", rg.key)
		u.RawQuery = q.Encode()
		out = append(out, link{Label: rg.label, Href: u.String(), Current: rg.key == current})
	}
	return out
}

func fatView(show string) measure {
	switch show {
	case fatMassMeasure.Key:
		return fatMassMeasure
	case leanMassMeasure.Key:
		return leanMassMeasure
	}
	return fatMeasure
}

// pageKey is the navigation entry a measure belongs to.
func pageKey(ms measure) string {
	if ms.Key == fatMassMeasure.Key || ms.Key == leanMassMeasure.Key {
		return fatMeasure.Key
	}
	return ms.Key
}

func bandClass(category string) string {
	switch category {
	case "Underweight":
		return "underweight"
	case "Healthy weight":
		return "healthy"
	case "Overweight":
		return "overweight"
	}
	return "obesity"
}
