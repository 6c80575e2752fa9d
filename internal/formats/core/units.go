package core

import (
	"fmt"
	"strings"
	"time"
)

// Mass units, as kilograms per unit.
const (
	KgPerLb = 0.45359237
	KgPerSt = 6.35029318
)

// MassUnit maps a unit as files write it ("kg", "KG", "lbs", "st", "g") to the Record's unit and the factor
// to kilograms; ok is false for anything else.
func MassUnit(u string) (unit string, toKg float64, ok bool) {
	switch strings.ToLower(strings.TrimSpace(u)) {
	case "kg", "kgs", "kilogram", "kilograms":
		return "kg", 1, true
	case "g", "gram", "grams":
		return "kg", 0.001, true
	case "lb", "lbs", "pound", "pounds":
		return "lb", KgPerLb, true
	case "st", "stone", "stones":
		return "st", KgPerSt, true
	}
	return "", 0, false
}

// LengthToCm maps a length unit to its factor to centimetres.
func LengthToCm(u string) (float64, bool) {
	switch strings.ToLower(strings.TrimSpace(u)) {
	case "cm":
		return 1, true
	case "m":
		return 100, true
	case "mm":
		return 0.1, true
	case "in", "inch", "inches":
		return 2.54, true
	case "ft", "feet", "foot":
		return 30.48, true
	}
	return 0, false
}

// Local splits t into the Record's date, clock and offset, in t's own location.
func Local(t time.Time) (date, clock string, offset int) {
	_, offset = t.Zone()
	return t.Format("2006-01-02"), t.Format("15:04:05"), offset
}

// FromUTC fills the time fields of r from a UTC instant read in loc (the person's zone, time.Local when nil):
// the file gives the instant only, so the clock reading is the one loc gives.
func FromUTC(r *Record, t time.Time, loc *time.Location) {
	if loc == nil {
		loc = time.Local
	}
	r.Date, r.Clock, r.Offset = Local(t.In(loc))
	r.OffsetKnown = true
}

// ParseClock parses s, a local date and time without a zone, with the first layout that fits.
func ParseClock(s string, layouts ...string) (date, clock string, err error) {
	s = strings.TrimSpace(s)
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02"), t.Format("15:04:05"), nil
		}
	}
	return "", "", fmt.Errorf("date %q is not in a known layout", Clip(s, 40))
}
