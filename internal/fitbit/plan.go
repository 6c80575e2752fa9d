package fitbit

import (
	"time"
)

// window is one weight-log request: the days from start to end, inclusive, at most MaxLogRange of them.
type window struct{ start, end time.Time }

// coverWindows returns the fewest weight-log windows that cover every given day, newest first: each window ends
// on the newest day not yet covered. Greedy is optimal for covering points on a line with intervals of one
// fixed length, so len(coverWindows(days)) is the least number of weight-log requests any plan can make.
func coverWindows(days []time.Time) []window {
	var out []window
	for i := 0; i < len(days); {
		end := days[i]
		start := end.AddDate(0, 0, -(MaxLogRange - 1))
		out = append(out, window{start, end})
		for i < len(days) && !days[i].Before(start) {
			i++
		}
	}
	return out
}

// LowerBound is the fewest requests that fetch a Fitbit history of n days (from the day the account began to
// today) without knowing in advance where its weigh-ins are: the profile, plus one weight-log request per 31 days
// (weight logs carry body fat; no request covers more). The engine stays within 1.1 times it: on long histories
// it spends one body time-series request per 1095 days to learn where the weigh-ins are, and then skips the
// windows without any, so with gaps of a month or more it goes below the bound.
func LowerBound(n int) int { return 1 + (n+MaxLogRange-1)/MaxLogRange }

// plainWindows tiles [first, end] with windows from end backwards: the plan when the days with data are unknown.
func plainWindows(first, end time.Time) []window {
	var out []window
	for e := end; !e.Before(first); e = e.AddDate(0, 0, -MaxLogRange) {
		s := e.AddDate(0, 0, -(MaxLogRange - 1))
		if s.Before(first) {
			s = first
		}
		out = append(out, window{s, e})
	}
	return out
}

// worthSeries says whether asking the time series where the weigh-ins are can pay for itself: only when a
// span holds more windows than the 10% the engine may spend over the lower bound would cover.
func worthSeries(first, end time.Time) bool {
	return len(plainWindows(first, end)) >= 10
}

// CoverWindows is how many weight-log requests cover the given days (newest first) at the least.
func CoverWindows(days []time.Time) int { return len(coverWindows(days)) }
