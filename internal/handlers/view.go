package handlers

import (
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/store"
)

// view is the history as the pages show it: visible weigh-ins in time order with their trend, in the person's
// unit. Hidden weigh-ins (outliers) are left out of everything here; the tables list them separately.
type view struct {
	unit     body.Unit
	settings store.Settings
	rows     []store.Measurement // visible, oldest first
	points   []body.Point        // the rows' weights
	trend    []body.Point        // one per point
	heightCm float64
}

// loadView reads the history, the settings and the unit for a page.
func (h *Handler) loadView(r *http.Request) (history, view, error) {
	hist, err := h.history(r)
	if err != nil {
		return history{}, view{}, err
	}
	st, err := h.store.Settings(r.Context())
	if err != nil {
		return history{}, view{}, err
	}
	v := view{unit: unitOf(st), settings: st, heightCm: hist.heightCm}
	if st.HeightCm > 0 {
		v.heightCm = st.HeightCm // the person's own entry wins over any provider's
	}
	if st.Unit == "" && hist.unit != "" {
		v.unit = hist.unit // the connected account's own unit, until the person picks one
	}
	for _, m := range hist.rows {
		if m.Hidden {
			continue
		}
		v.rows = append(v.rows, m)
		v.points = append(v.points, body.Point{T: at(m), Kg: m.WeightKg})
	}
	v.trend = body.Trend(v.points)
	return hist, v, nil
}

func unitOf(s store.Settings) body.Unit {
	if u, err := body.ParseUnit(s.Unit); err == nil {
		return u
	}
	return body.Kilograms
}

// at is a weigh-in's local wall clock as a time (in UTC, without a zone: Fitbit's times have none).
func at(m store.Measurement) time.Time {
	t, _ := time.Parse("2006-01-02 15:04:05", m.Date+" "+m.Time)
	return t
}

// since returns the index of the first point at or after t.
func (v view) since(t time.Time) int {
	for i, p := range v.points {
		if !p.T.Before(t) {
			return i
		}
	}
	return len(v.points)
}

// latestTrend is the trend at the newest weigh-in.
func (v view) latestTrend() (float64, bool) {
	if len(v.trend) == 0 {
		return 0, false
	}
	return v.trend[len(v.trend)-1].Kg, true
}

// bmi reads a weigh-in's BMI: as reported, else from the height; ok false when neither is known.
func (v view) bmi(m store.Measurement) (float64, bool) {
	if m.BMI != nil {
		return *m.BMI, true
	}
	b := body.BMI(m.WeightKg, v.heightCm)
	return b, b > 0
}
