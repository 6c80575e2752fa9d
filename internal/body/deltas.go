package body

import "time"

// Delta is the trend's change over one look-back span, in kg (positive is a gain). OK is false when the history
// is too short or too sparse for the number to mean anything; the page then shows nothing for it.
type Delta struct {
	Label string // "week", "month", "3 months", "year"
	Days  int
	Kg    float64
	OK    bool
}

// deltaSpans are the look-backs the dashboard shows, a month counted as 30 days.
var deltaSpans = []struct {
	label string
	days  int
}{
	{"week", 7},
	{"month", 30},
	{"3 months", 90},
	{"year", 365},
}

// Deltas is the trend's change since a week, a month (30 days), three months (90) and a year (365) before the
// last trend point, always four values in that order.
//
// The rule for OK, with last the last trend point and base = last − Days×24 h:
//   - the history reaches back: the first trend point's local date is on or before base's local date (a weigh-in
//     at 07:30 a week after one at 08:00 still counts as a week; the trend at base is then the first value);
//   - coverage: the weigh-ins in ps fall on at least ⌈Days/2⌉ distinct local dates among the Days dates after
//     base's date up to and including last's date (4 of 7, 15 of 30, 45 of 90, 183 of 365). Several weigh-ins on
//     one date count once. This is TrendWeight's 4-of-7 for a week and half the days beyond it, a little looser
//     than TrendWeight's 9/14 and 19/28.
//
// Kg is trend(last) − trend(base), with the trend interpolated linearly between weigh-ins.
func Deltas(ps []Point, trend []Point) []Delta {
	out := make([]Delta, len(deltaSpans))
	for i, s := range deltaSpans {
		out[i] = Delta{Label: s.label, Days: s.days}
	}
	if len(trend) == 0 {
		return out
	}
	last := trend[len(trend)-1]
	lastDay := dayNumber(last.T)
	weighed := make(map[int64]bool, len(ps))
	for _, p := range ps {
		weighed[dayNumber(p.T)] = true
	}
	for i, s := range deltaSpans {
		base := last.T.Add(-time.Duration(s.days) * day)
		baseDay := dayNumber(base)
		if dayNumber(trend[0].T) > baseDay {
			continue
		}
		covered := 0
		for d := baseDay + 1; d <= lastDay; d++ {
			if weighed[d] {
				covered++
			}
		}
		if covered < (s.days+1)/2 {
			continue
		}
		baseKg, ok := TrendAt(trend, base)
		if !ok {
			// base is earlier in the day than the first weigh-in, on the same date.
			baseKg = trend[0].Kg
		}
		out[i].Kg = last.Kg - baseKg
		out[i].OK = true
	}
	return out
}

// dayNumber counts calendar days since 1970-01-01 for t's own wall-clock date, so two instants on one local
// date share a number whatever their Location.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	// Midnight UTC is an exact multiple of a day's seconds, so the division is exact even before 1970.
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}
