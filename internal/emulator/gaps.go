package emulator

import "time"

// Gap is a stretch of dates, inclusive and YYYY-MM-DD in the user's zone, on which the demo user never weighed
// in: a long break that tests can place, where the generated history's own gaps last at most four weeks.
type Gap struct{ From, To string }

// withoutGaps drops the weigh-ins dated inside any gap; the rest keep their logIds and values, because a date's
// weigh-ins depend on the date alone. A gap that is not two dates in order is a mistake in the test that
// wrote it, so New panics rather than serve a history the test did not ask for.
func withoutGaps(logs []WeightLog, gaps []Gap) []WeightLog {
	if len(gaps) == 0 {
		return logs
	}
	for _, g := range gaps {
		from, errFrom := time.Parse(dateLayout, g.From)
		to, errTo := time.Parse(dateLayout, g.To)
		if errFrom != nil || errTo != nil || to.Before(from) {
			panic("emulator: gap " + g.From + " to " + g.To + ": want two YYYY-MM-DD dates, From not after To")
		}
	}
	out := logs[:0:0]
	for _, l := range logs {
		if !inGap(l.Date, gaps) {
			out = append(out, l)
		}
	}
	return out
}

// inGap reports whether date falls in one of gaps; YYYY-MM-DD strings compare as dates.
func inGap(date string, gaps []Gap) bool {
	for _, g := range gaps {
		if date >= g.From && date <= g.To {
			return true
		}
	}
	return false
}

// lastDays keeps the history's last n days (up to today): an account that joined n days ago, a few days
// before its first weigh-in as generated histories do.
func (h history) lastDays(n int, today time.Time) history {
	start := today.AddDate(0, 0, 1-n)
	from := start.Format(dateLayout)
	kept := h.logs[:0:0]
	for _, l := range h.logs {
		if l.Date >= from {
			kept = append(kept, l)
		}
	}
	h.logs = kept
	h.memberSince = start.AddDate(0, 0, -3)
	return h
}
