package emulator

import "strings"

// units is the measurement system Accept-Language selects, as the real API does it.
type units int

const (
	metric  units = iota // absent or any other value: kg, cm
	usUnits              // en_US: pounds, inches
	ukUnits              // en_GB: stone as a decimal, cm
)

const (
	kgPerPound = 0.45359237
	kgPerStone = 6.35029318
	cmPerInch  = 2.54
)

// unitsFor reads the first language tag of an Accept-Language header. Fitbit documents en_US and en_GB;
// browsers send en-US, so both spellings count.
func unitsFor(acceptLanguage string) units {
	tag, _, _ := strings.Cut(acceptLanguage, ",")
	tag, _, _ = strings.Cut(tag, ";")
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(tag)), "-", "_") {
	case "en_us":
		return usUnits
	case "en_gb":
		return ukUnits
	}
	return metric
}

// weight converts stored kilograms; converted values are rounded to 2 decimals, metric ones sent as stored.
func (u units) weight(kg float64) float64 {
	switch u {
	case usUnits:
		return round(kg/kgPerPound, 2)
	case ukUnits:
		return round(kg/kgPerStone, 2)
	}
	return kg
}

// height converts stored centimetres; only US units change it.
func (u units) height(cm float64) float64 {
	if u == usUnits {
		return round(cm/cmPerInch, 2)
	}
	return cm
}
