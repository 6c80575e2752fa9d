package body

import (
	"fmt"
	"math"
	"strings"
)

// minus is U+2212, the typographic minus sign, which lines up with "+" where a hyphen does not.
const minus = "\u2212"

// UnitLabel is the short label shown beside values in u: "kg", "lb" or "st". An unknown unit is treated as
// kilograms, as FromKg does.
func UnitLabel(u Unit) string {
	switch u {
	case Pounds:
		return "lb"
	case Stone:
		return "st"
	}
	return "kg"
}

// ValueIn is kg in u for charts: kilograms, pounds, or decimal stone (12.5 st), unrounded.
func ValueIn(kg float64, u Unit) float64 {
	return FromKg(kg, u)
}

// FormatWeight shows a weight in u: "82.4 kg", "181.7 lb", or whole stone and pounds to one decimal,
// "12 st 13.7 lb". Pounds are rounded before they are split, so 13.96 lb reads "1 st 0.0 lb", never "0 st 14.0 lb".
func FormatWeight(kg float64, u Unit) string {
	switch u {
	case Pounds:
		return signed(FromKg(kg, Pounds), 1, false) + " lb"
	case Stone:
		tenths := math.Round(math.Abs(FromKg(kg, Pounds)) * 10)
		st, lbTenths := math.Floor(tenths/140), math.Mod(tenths, 140)
		sign := ""
		if kg < 0 && tenths != 0 {
			sign = minus
		}
		return fmt.Sprintf("%s%.0f st %.1f lb", sign, st, lbTenths/10)
	}
	return signed(kg, 1, false) + " kg"
}

// FormatChange shows a change of weight in u with its sign: "−1.2 kg", "+0.4 lb". Stone shows pounds only,
// "−3.1 lb", since changes are small. A change that rounds to zero has no sign: "0.0 kg".
func FormatChange(kg float64, u Unit) string {
	if u == Stone || u == Pounds {
		return signed(FromKg(kg, Pounds), 1, true) + " lb"
	}
	return signed(kg, 1, true) + " kg"
}

// FormatRate shows a weekly rate in u with its sign: "−0.45 kg/week" (two decimals, since a tenth of a kilogram
// a week is a large step), "−1.0 lb/week"; stone shows pounds a week.
func FormatRate(kgPerWeek float64, u Unit) string {
	if u == Stone || u == Pounds {
		return signed(FromKg(kgPerWeek, Pounds), 1, true) + " lb/week"
	}
	return signed(kgPerWeek, 2, true) + " kg/week"
}

// signed formats v to decimals places with a real minus sign, and a "+" when plus is set. A value that rounds to
// zero gets no sign, so the page never shows "−0.0".
func signed(v float64, decimals int, plus bool) string {
	s := fmt.Sprintf("%.*f", decimals, math.Abs(v))
	if strings.Trim(s, "0.") == "" {
		return s
	}
	switch {
	case v < 0:
		return minus + s
	case plus:
		return "+" + s
	}
	return s
}
