package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/store"
)

// apiSummary is GET /api/v1/summary's answer: the dashboard's numbers, in kg, absent values null.
type apiSummary struct {
	Latest       *apiWeighin `json:"latest"`
	TrendKg      *float64    `json:"trend_kg"`
	WeeklyRateKg *float64    `json:"weekly_rate_kg"` // the trend's change per week (negative: losing)
	BMI          *float64    `json:"bmi"`            // the latest BMI, as measured or from the height
	BMICategory  *string     `json:"bmi_category"`
	FatPct       *float64    `json:"fat_pct"` // the latest body-fat reading
	Unit         string      `json:"unit"`    // the person's display unit: kg, lb or st

	KcalPerDay    *float64 `json:"kcal_per_day"`  // the energy balance the weekly rate implies (negative: a deficit)
	KcalPerWeek   *float64 `json:"kcal_per_week"` // the same over a week
	GoalKg        *float64 `json:"goal_kg"`
	GoalToGoKg    *float64 `json:"goal_to_go_kg"` // goal − trend (negative: to lose)
	GoalReached   *bool    `json:"goal_reached"`
	ProjectedDate *string  `json:"projected_date"` // YYYY-MM-DD when the trend reaches the goal at the current rate
	Count         int      `json:"count"`          // weigh-ins in the history
}

// apiSummaryHandler serves GET /api/v1/summary: latest weigh-in, trend, weekly rate and kcal, BMI and its
// category, body fat, goal and projected date, computed as the dashboard computes them (home.go).
func (h *Handler) apiSummaryHandler(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.apiToken(w, r); !ok {
		return
	}
	_, v, err := h.loadView(r)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.apiServerError(w, r, err)
		return
	}
	if errors.Is(err, store.ErrNotFound) {
		if v.settings, err = h.store.Settings(r.Context()); err != nil {
			h.apiServerError(w, r, err)
			return
		}
		v.unit = unitOf(v.settings)
	}
	writeJSON(w, http.StatusOK, summarize(v))
}

func summarize(v view) apiSummary {
	s := apiSummary{Unit: string(v.unit), Count: len(v.rows)}
	if v.settings.GoalKg > 0 {
		s.GoalKg = ptr(v.settings.GoalKg)
	}
	if len(v.rows) == 0 {
		return s
	}
	latest := v.apiWeighin(v.rows[len(v.rows)-1])
	s.Latest = &latest
	trendKg, _ := v.latestTrend()
	s.TrendKg = ptr(trendKg)
	rate, ok := body.WeeklyRate(v.trend)
	if ok {
		s.WeeklyRateKg = ptr(rate)
		s.KcalPerDay = ptr(body.DailyCalories(rate))
		s.KcalPerWeek = ptr(7 * body.DailyCalories(rate))
	}
	if rs := bmiMeasure.readings(v); len(rs) > 0 {
		b := rs[len(rs)-1].v
		s.BMI, s.BMICategory = ptr(b), ptr(body.Category(b).Name)
	}
	if rs := fatMeasure.readings(v); len(rs) > 0 {
		s.FatPct = ptr(rs[len(rs)-1].v)
	}
	if v.settings.GoalKg > 0 {
		g := body.GoalProgress(v.settings.GoalKg, trendKg, rate, v.points[len(v.points)-1].T)
		s.GoalToGoKg, s.GoalReached = ptr(g.ToGoKg), ptr(g.Reached)
		if g.HasDate && ok {
			s.ProjectedDate = ptr(g.Projected.Format(time.DateOnly))
		}
	}
	return s
}

func ptr[T any](v T) *T { return &v }
