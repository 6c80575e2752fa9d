package bodycsv

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/body"
)

// Plausible values. A weight over 700 is absurd in kg, lb and st alike; under 10 kg is no adult weigh-in.
const (
	maxWeight        = 700
	minWeightKg      = 10
	minBMI, maxBMI   = 5, 150
	minFat, maxFat   = 0, 100
	dateLen, timeLen = len(time.DateOnly), len(time.TimeOnly)
)

// checkRow is the promise Read makes about every row it returns. A weight in no stated unit must be at least
// 10 kg as stone, the unit that makes it heaviest, since the importer may yet decide it is stone.
func checkRow(r Row) error {
	minUnit := r.Unit
	if minUnit == "" {
		minUnit = body.Stone
	}
	switch {
	case r.Line < 1:
		return fmt.Errorf("bad line number %d", r.Line)
	case !validDate(r.Date):
		return fmt.Errorf("date %s is not a real date (want YYYY-MM-DD)", quote(r.Date))
	case !validClock(r.Time):
		return fmt.Errorf("time %s is not a real time (want HH:MM:SS)", quote(r.Time))
	case r.Unit != "" && r.Unit != body.Kilograms && r.Unit != body.Pounds && r.Unit != body.Stone:
		return fmt.Errorf("unit %s is not kg, lb or st", quote(string(r.Unit)))
	case !finite(r.Weight) || r.Weight > maxWeight || body.ToKg(r.Weight, minUnit) < minWeightKg:
		return fmt.Errorf("weight %s is not a plausible body weight", quote(strings.TrimSpace(fmt.Sprintf("%g %s", r.Weight, r.Unit))))
	case r.FatPct != nil && (!finite(*r.FatPct) || *r.FatPct < minFat || *r.FatPct > maxFat):
		return fmt.Errorf("body fat %g%% is outside 0 to 100", *r.FatPct)
	case r.BMI != nil && (!finite(*r.BMI) || *r.BMI < minBMI || *r.BMI > maxBMI):
		return fmt.Errorf("BMI %g is outside 5 to 150", *r.BMI)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// validDate and validClock insist on the exact width, which time.Parse alone does not.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == dateLen
}

func validClock(s string) bool {
	_, err := time.Parse(time.TimeOnly, s)
	return err == nil && len(s) == timeLen
}
