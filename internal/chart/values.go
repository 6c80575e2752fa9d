package chart

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// clean returns a time-sorted copy of points without NaN or infinite values.
func clean(points []Point) []Point {
	out := make([]Point, 0, len(points))
	for _, p := range points {
		if finite(p.V) {
			out = append(out, p)
		}
	}
	if !slices.IsSortedFunc(out, byTime) {
		slices.SortStableFunc(out, byTime)
	}
	return out
}

func byTime(a, b Point) int { return a.T.Compare(b.T) }

func valueRange(pts []Point) (lo, hi float64) {
	lo, hi = pts[0].V, pts[0].V
	for _, p := range pts[1:] {
		lo, hi = min(lo, p.V), max(hi, p.V)
	}
	return lo, hi
}

func describe(pts []Point, lo, hi float64, o options) string {
	first, last := pts[0].T.Format(time.DateOnly), pts[len(pts)-1].T.Format(time.DateOnly)
	if len(pts) == 1 {
		return "1 weigh-in on " + first + ": " + string(o.appendValue(nil, lo))
	}
	b := strconv.AppendInt(nil, int64(len(pts)), 10)
	b = append(b, " weigh-ins from "+first+" to "+last+", between "+o.Format(lo)+" and "...)
	return string(o.appendValue(b, hi))
}

// appendValue writes v with Format and the unit: "82.4 kg", but "24.1%" as percentages are usually written.
// The default format is inlined because a title per dot is most of New's allocations.
func (o options) appendValue(b []byte, v float64) []byte {
	if o.custom {
		b = append(b, o.Format(v)...)
	} else {
		b = strconv.AppendFloat(b, v, 'f', 1, 64)
	}
	switch o.Unit {
	case "":
		return b
	case "%":
		return append(b, '%')
	default:
		return append(append(b, ' '), o.Unit...)
	}
}

func round1(v float64) float64 {
	r := math.Round(v*10) / 10
	if r == 0 {
		return 0 // no "-0" in the markup
	}
	return r
}
