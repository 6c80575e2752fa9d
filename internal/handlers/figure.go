package handlers

import (
	"math"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/likeness"
)

// figure draws the likeness "then and now": the trend at the start of the dashboard's span beside today's.
// It needs a height: the person's, or the one a reported BMI implies. Without one there is no figure.
func figure(v view) *likeness.Pair {
	heightCm := v.heightCm
	for i := len(v.rows) - 1; heightCm == 0 && i >= 0; i-- {
		if b := v.rows[i].BMI; b != nil && *b > 0 {
			heightCm = 100 * math.Sqrt(v.rows[i].WeightKg / *b)
		}
	}
	nowKg, ok := v.latestTrend()
	if heightCm == 0 || !ok {
		return nil
	}
	last := v.points[len(v.points)-1].T
	thenT := last.AddDate(0, 0, -dashboardDays)
	thenKg, ok := body.TrendAt(v.trend, thenT)
	if !ok {
		thenT, thenKg = v.trend[0].T, v.trend[0].Kg
	}
	then := likeness.Input{BMI: body.BMI(thenKg, heightCm)}
	now := likeness.Input{BMI: body.BMI(nowKg, heightCm)}
	then.FatPct, then.HasFat = fatNear(v, thenT)
	now.FatPct, now.HasFat = fatNear(v, last)
	thenLabel := thenT.Format(time.DateOnly)
	return &likeness.Pair{
		Then: likeness.Draw(then), Now: likeness.Draw(now), ThenLabel: thenLabel, NowLabel: "Now",
		Text: likeness.Compare(then, now, thenLabel, "Now"),
	}
}

// fatNear is the latest body-fat reading at or before t, or else the first after it.
func fatNear(v view, t time.Time) (float64, bool) {
	var after *float64
	for i := len(v.rows) - 1; i >= 0; i-- {
		m := v.rows[i]
		if m.FatPct == nil {
			continue
		}
		if !at(m).After(t) {
			return *m.FatPct, true
		}
		after = m.FatPct
	}
	if after != nil {
		return *after, true
	}
	return 0, false
}
