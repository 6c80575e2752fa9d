package body

import (
	"math"
	"time"
)

// Goal is where the trend stands against a target weight.
type Goal struct {
	TargetKg  float64
	ToGoKg    float64   // target − current trend (negative: weight to lose)
	Projected time.Time // when the trend at the current weekly rate reaches the target; zero unless HasDate
	HasDate   bool      // false when reached, moving away from the goal, the rate is ~0, or the date is over 3 years off
	Reached   bool      // the trend is within the maintenance band around the target
	Band      float64   // the maintenance band's half-width in kg
}

// MaintenanceBandKg is TrendWeight's maintenance band half-width, 2.5 lb rounded to 1.134 kg.
const MaintenanceBandKg = 1.134

// Goal projection limits: a rate under a gram a week is standing still, and TrendWeight hides dates over 3 years.
const (
	minGoalRate     = 0.001 // kg/week
	maxProjectYears = 3
	maxProjectDays  = 366 * maxProjectYears // cheap bound before building a Duration that could overflow
	bandEdgeSlackKg = 1e-9                  // so 81.134 against 80 counts as inside despite binary rounding
)

// GoalProgress measures a trend of trendKg, moving at kgPerWeek, against targetKg, as of at. Once the trend is in
// the maintenance band the goal is Reached and there is no date to project.
func GoalProgress(targetKg, trendKg, kgPerWeek float64, at time.Time) Goal {
	g := Goal{
		TargetKg: targetKg,
		ToGoKg:   targetKg - trendKg,
		Band:     MaintenanceBandKg,
	}
	g.Reached = math.Abs(g.ToGoKg) <= g.Band+bandEdgeSlackKg
	if g.Reached || math.Abs(kgPerWeek) < minGoalRate || math.Signbit(kgPerWeek) != math.Signbit(g.ToGoKg) {
		return g
	}
	days := g.ToGoKg / kgPerWeek * 7
	if !(days > 0 && days <= maxProjectDays) { // also refuses NaN
		return g
	}
	projected := at.Add(time.Duration(days * float64(day)))
	if projected.After(at.AddDate(maxProjectYears, 0, 0)) {
		return g
	}
	g.Projected, g.HasDate = projected, true
	return g
}
