package body

import (
	"math"
	"slices"
	"time"
)

// Point is one weigh-in, or one trend value: its local wall-clock instant (a time.Time in UTC holding the local
// date and time, as Fitbit gives it) and kilograms.
type Point struct {
	T  time.Time
	Kg float64
}

// dailyKeep is the Hacker's Diet smoothing: each day the trend keeps 90% of itself and takes 10% of the weigh-in.
const dailyKeep = 0.9

const day = 24 * time.Hour

// Trend smooths weigh-ins the Hacker's Diet way, made time-aware like Libra: the weight a weigh-in gets is
// a = 1 − 0.9^Δdays, where Δdays (fractional) is the time since the previous weigh-in. With daily weigh-ins this is
// exactly the 10% rule; a second weigh-in the same day moves the trend a little, and after a month's gap the next
// weigh-in counts for almost all. Two weigh-ins at the same instant give the second no weight (Δdays = 0).
//
// The input need not be sorted (a sorted copy is used; the input is left alone). The result has one point per
// input point, in time order, each at its weigh-in's instant.
func Trend(ps []Point) []Point {
	if len(ps) == 0 {
		return nil
	}
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b Point) int { return a.T.Compare(b.T) })
	out := make([]Point, len(sorted))
	out[0] = sorted[0]
	for i := 1; i < len(sorted); i++ {
		days := sorted[i].T.Sub(sorted[i-1].T).Hours() / 24
		a := 1 - math.Pow(dailyKeep, days)
		prev := out[i-1].Kg
		out[i] = Point{T: sorted[i].T, Kg: prev + a*(sorted[i].Kg-prev)}
	}
	return out
}

// TrendAt interpolates a trend (as Trend returns it: sorted by T) linearly at t. It reports ok=false for an empty
// trend or a t before the first or after the last point; it never extrapolates.
func TrendAt(trend []Point, t time.Time) (kg float64, ok bool) {
	// i is the first point strictly after t, so trend[i-1] is the last point at or before t.
	i, _ := slices.BinarySearchFunc(trend, t, func(p Point, t time.Time) int {
		if p.T.After(t) {
			return 1
		}
		return -1
	})
	if i == 0 {
		return 0, false
	}
	lo := trend[i-1]
	if lo.T.Equal(t) {
		return lo.Kg, true
	}
	if i == len(trend) {
		return 0, false
	}
	hi := trend[i]
	f := float64(t.Sub(lo.T)) / float64(hi.T.Sub(lo.T))
	return lo.Kg + f*(hi.Kg-lo.Kg), true
}

// Rate window: TrendWeight fits its 14 last daily trend values, so the window is the 14 days (end − 14 d, end],
// which holds exactly 14 daily points. Fewer than 4 points or under a week of span is noise, not a rate.
const (
	rateWindow    = 14 * day
	rateMinPoints = 4
	rateMinSpan   = 7 * day
)

// WeeklyRate is the least-squares slope of the trend over the 14 days ending at the last point, in kg per week.
// The window is half-open, (last − 14 days, last], so 15 daily points give 14 to the fit. It reports ok=false
// with fewer than 4 trend points in the window or when they span less than 7 days.
func WeeklyRate(trend []Point) (kgPerWeek float64, ok bool) {
	if len(trend) == 0 {
		return 0, false
	}
	end := trend[0].T
	for _, p := range trend {
		if p.T.After(end) {
			end = p.T
		}
	}
	start := end.Add(-rateWindow)
	var xs, ys []float64
	first := end
	for _, p := range trend {
		if !p.T.After(start) {
			continue
		}
		if p.T.Before(first) {
			first = p.T
		}
		// x in days before the end keeps the numbers small, which keeps the sums exact enough.
		xs = append(xs, p.T.Sub(end).Hours()/24)
		ys = append(ys, p.Kg)
	}
	if len(xs) < rateMinPoints || end.Sub(first) < rateMinSpan {
		return 0, false
	}
	return slope(xs, ys) * 7, true
}

// slope is the ordinary least-squares slope of ys on xs; xs must not all be equal.
func slope(xs, ys []float64) float64 {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= n
	my /= n
	var sxy, sxx float64
	for i := range xs {
		dx := xs[i] - mx
		sxy += dx * (ys[i] - my)
		sxx += dx * dx
	}
	return sxy / sxx
}

// KcalPerKg is the energy in a kilogram of body weight as the weight-trend apps count it. The Hacker's Diet says
// 3500 kcal per pound, which is about 7716 kcal per kg; 7700 is the usual metric rounding (0.2% apart).
const KcalPerKg = 7700

// DailyCalories is the energy balance a weekly rate implies, in kcal per day; negative is a deficit.
func DailyCalories(kgPerWeek float64) float64 {
	return kgPerWeek * KcalPerKg / 7
}
