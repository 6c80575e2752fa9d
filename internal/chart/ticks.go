package chart

import (
	"math"
	"slices"
	"time"
)

// NiceTicks returns about n round values (1, 2, 2.5 or 5 × 10^k apart) whose first is <= lo and last >= hi.
// A degenerate range (lo == hi) is padded by 5% of |lo|, or by 1 around zero. Non-finite input gives nil.
func NiceTicks(lo, hi float64, n int) []float64 {
	if !finite(lo) || !finite(hi) {
		return nil
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		pad := math.Abs(lo) * 0.05
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	n = max(n, 2)
	span := hi - lo
	if !finite(span) {
		return nil
	}

	// Score each candidate step: the share of the axis the data leaves empty, plus a small charge per tick
	// away from n. Candidates with a count outside n±2 only win when nothing else fits.
	type candidate struct {
		step, first float64
		count, dec  int
		cost        float64
		fits        bool
	}
	var best candidate
	e0 := int(math.Floor(math.Log10(span / float64(n-1))))
	for e := e0 - 1; e <= e0+1; e++ {
		for _, m := range [...]float64{1, 2, 2.5, 5} {
			step := m * math.Pow(10, float64(e))
			// The 1e-9 keeps float noise (0.3/0.1 = 2.9999999999999996) from adding a whole step.
			first := math.Floor(lo/step + 1e-9)
			last := math.Ceil(hi/step - 1e-9)
			if last <= first {
				last = first + 1
			}
			count := int(last-first) + 1
			if count > 10*n+10 {
				continue
			}
			dec := max(0, -e)
			if m == 2.5 {
				dec = max(0, 1-e)
			}
			c := candidate{
				step: step, first: first, count: count, dec: dec,
				cost: 1 - span/((last-first)*step) + 0.05*math.Abs(float64(count-n)),
				fits: count >= max(2, n-2) && count <= n+2,
			}
			if best.count == 0 || (c.fits && !best.fits) || (c.fits == best.fits && c.cost < best.cost) {
				best = c
			}
		}
	}
	if best.count == 0 {
		return nil
	}
	p := math.Pow(10, float64(best.dec))
	ticks := make([]float64, best.count)
	for i := range ticks {
		v := math.Round((best.first+float64(i))*best.step*p) / p
		if v == 0 {
			v = 0 // no "-0" label
		}
		ticks[i] = v
	}
	return ticks
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

type calUnit int

const (
	unitDay calUnit = iota
	unitWeek
	unitMonth
	unitYear
)

type calStep struct {
	unit calUnit
	k    int
}

// calSteps run from fine to coarse. Months step from January (k=3 gives quarters, k=6 halves), years from
// multiples of k, weeks from the first Monday.
var calSteps = []calStep{
	{unitDay, 1}, {unitDay, 2}, {unitWeek, 1}, {unitWeek, 2}, {unitWeek, 4},
	{unitMonth, 1}, {unitMonth, 2}, {unitMonth, 3}, {unitMonth, 6},
	{unitYear, 1}, {unitYear, 2}, {unitYear, 5}, {unitYear, 10}, {unitYear, 20}, {unitYear, 50},
	{unitYear, 100}, {unitYear, 200}, {unitYear, 500}, {unitYear, 1000},
}

var (
	firstMonthStep = slices.Index(calSteps, calStep{unitMonth, 1})
	firstYearStep  = slices.Index(calSteps, calStep{unitYear, 1})
)

const (
	// Spans below dayRegime get day or week ticks, up to monthRegime month ticks, beyond that years.
	// New's X labels follow the same thresholds.
	dayRegime   = 61 * 24 * time.Hour
	monthRegime = 731 * 24 * time.Hour
)

// TimeTicks returns at most n calendar instants in [start, end], at midnight in start's location: days or
// Mondays for spans under about two months, first days of months (or quarters, halves) up to about two
// years, and January 1sts beyond that. The finest step that gives between 1 and n ticks wins.
func TimeTicks(start, end time.Time, n int) []time.Time {
	if n <= 0 {
		return nil
	}
	if end.Before(start) {
		start, end = end, start
	}
	from := 0
	switch span := end.Sub(start); {
	case span > monthRegime:
		from = firstYearStep
	case span >= dayRegime:
		from = firstMonthStep
	}
	var fallback []time.Time
	for _, s := range calSteps[from:] {
		ts := calTicks(start, end, s, n+1)
		if len(ts) >= 1 && len(ts) <= n {
			return ts
		}
		if len(ts) > 0 {
			fallback = ts
		}
	}
	return fallback
}

// calTicks lists the ticks of step s in [start, end], stopping after limit of them.
func calTicks(start, end time.Time, s calStep, limit int) []time.Time {
	loc := start.Location()
	y, m, d := start.Date()
	var t time.Time
	switch s.unit {
	case unitDay, unitWeek:
		t = time.Date(y, m, d, 0, 0, 0, 0, loc)
		if t.Before(start) {
			t = t.AddDate(0, 0, 1)
		}
		for s.unit == unitWeek && t.Weekday() != time.Monday {
			t = t.AddDate(0, 0, 1)
		}
	case unitMonth:
		t = time.Date(y, m, 1, 0, 0, 0, 0, loc)
		if t.Before(start) {
			t = t.AddDate(0, 1, 0)
		}
		for (int(t.Month())-1)%s.k != 0 {
			t = t.AddDate(0, 1, 0)
		}
	case unitYear:
		if time.Date(y, 1, 1, 0, 0, 0, 0, loc).Before(start) {
			y++
		}
		if r := ((y % s.k) + s.k) % s.k; r != 0 {
			y += s.k - r
		}
		t = time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	}
	var ts []time.Time
	for ; !t.After(end) && len(ts) < limit; t = next(t, s) {
		ts = append(ts, t)
	}
	return ts
}

func next(t time.Time, s calStep) time.Time {
	switch s.unit {
	case unitDay:
		return t.AddDate(0, 0, s.k)
	case unitWeek:
		return t.AddDate(0, 0, 7*s.k)
	case unitMonth:
		return t.AddDate(0, s.k, 0)
	default:
		return t.AddDate(s.k, 0, 0)
	}
}
