package fitbit

import "time"

// DateLayout is how the Fitbit Web API writes dates.
const DateLayout = "2006-01-02"

// FormatDate writes t's calendar date as Fitbit expects it in paths.
func FormatDate(t time.Time) string { return t.Format(DateLayout) }

// ParseDate reads a Fitbit date as midnight UTC, so that date arithmetic never crosses a daylight-saving change.
func ParseDate(s string) (time.Time, error) { return time.Parse(DateLayout, s) }

// Day returns t's calendar date in t's own location as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DaysBetween returns the number of calendar days from start to end (negative when end is earlier).
func DaysBetween(start, end time.Time) int {
	return int(Day(end).Sub(Day(start)).Hours() / 24)
}
