package body

import (
	"fmt"
	"strings"
)

// Unit is a unit of body weight.
type Unit string

// The units people weigh themselves in. Stone is 14 pounds; values in stone are decimal stone (12.5 st).
const (
	Kilograms Unit = "kg"
	Pounds    Unit = "lb"
	Stone     Unit = "st"
)

// KgPerPound is exact by definition (the international pound of 1959).
const KgPerPound = 0.45359237

// ParseUnit reads a unit name as people write it: "kg", "kilograms", "lb", "lbs", "pounds", "st", "stone".
func ParseUnit(s string) (Unit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "kg", "kgs", "kilogram", "kilograms", "kilo", "kilos":
		return Kilograms, nil
	case "lb", "lbs", "pound", "pounds":
		return Pounds, nil
	case "st", "stone", "stones":
		return Stone, nil
	}
	return "", fmt.Errorf("body: unknown weight unit %q (use kg, lb or st)", s)
}

// ToKg converts a weight in u to kilograms, unrounded.
func ToKg(v float64, u Unit) float64 {
	switch u {
	case Pounds:
		return v * KgPerPound
	case Stone:
		return v * 14 * KgPerPound
	}
	return v
}

// FromKg converts a weight in kilograms to u, unrounded.
func FromKg(kg float64, u Unit) float64 {
	switch u {
	case Pounds:
		return kg / KgPerPound
	case Stone:
		return kg / KgPerPound / 14
	}
	return kg
}
