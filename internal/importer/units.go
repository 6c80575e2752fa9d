package importer

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/formats"
)

// reading is what unit detection looks at: a weight as written, and the BMI the file reports beside it.
type reading struct {
	weight float64
	bmi    *float64
}

// Plausible adult heights, in metres, for judging which unit makes a file's BMI consistent, and the typical one
// that decides when both units give a plausible height.
const minHeightM, maxHeightM, typicalHeightM = 1.4, 2.2, 1.7

// detectUnit decides whether a file's weights are kilograms or pounds. Exports carry no unit, so the numbers
// must say: a reported BMI fixes the height each unit implies, and only one is a human height (or, when the
// person's height is known, matches it). Without BMI the weights' range decides, and where both units fit (a
// typical weight of 88 to 150), the file's kind: Fitbit exports are pounds, other weight files kilograms. The
// reason is a sentence for the import summary.
func detectUnit(rs []reading, heightCm float64, kind fileKind) (body.Unit, string) {
	var kgH, lbH []float64
	var weights []float64
	for _, r := range rs {
		weights = append(weights, r.weight)
		if r.bmi != nil && *r.bmi > 0 {
			kgH = append(kgH, math.Sqrt(r.weight/(*r.bmi)))
			lbH = append(lbH, math.Sqrt(body.ToKg(r.weight, body.Pounds)/(*r.bmi)))
		}
	}
	if len(weights) == 0 {
		return body.Kilograms, "the file holds no weigh-ins"
	}
	if len(kgH) > 0 {
		hk, hl := median(kgH), median(lbH)
		why := fmt.Sprintf("its BMI values imply a height of %.2f m if the weights are pounds and %.2f m if they are kilograms", hl, hk)
		if heightCm > 0 {
			h := heightCm / 100
			if math.Abs(hl-h) < math.Abs(hk-h) {
				return body.Pounds, fmt.Sprintf("pounds: %s, and your height is %.2f m", why, h)
			}
			return body.Kilograms, fmt.Sprintf("kilograms: %s, and your height is %.2f m", why, h)
		}
		switch {
		case plausible(hl) && !plausible(hk):
			return body.Pounds, "pounds: " + why
		case plausible(hk) && !plausible(hl):
			return body.Kilograms, "kilograms: " + why
		case plausible(hk) && plausible(hl):
			if math.Abs(hl-typicalHeightM) < math.Abs(hk-typicalHeightM) {
				return body.Pounds, "pounds: " + why + ", and the first is the more usual height"
			}
			return body.Kilograms, "kilograms: " + why + ", and the second is the more usual height"
		}
	}
	w := median(weights)
	switch {
	case w > 150:
		return body.Pounds, fmt.Sprintf("pounds: the typical weight, %.1f, would be very heavy in kilograms", w)
	case w < 88: // under 40 kg in pounds: not an adult's weight
		return body.Kilograms, fmt.Sprintf("kilograms: the typical weight, %.1f, would be far too light in pounds", w)
	case kind == fitbitExport:
		return body.Pounds, fmt.Sprintf("pounds, as Fitbit exports are: the typical weight, %.1f, fits either unit and the file gives no BMI to check (use --unit kg if that is wrong)", w)
	}
	return body.Kilograms, fmt.Sprintf("kilograms, as most weight files are: the typical weight, %.1f, fits either unit and the file gives no BMI to check (use --unit lb if that is wrong)", w)
}

// fileKind decides the unit of a file whose weights fit either.
type fileKind int

const (
	weightFile   fileKind = iota // a CSV or another app's export: kilograms unless the numbers say otherwise
	fitbitExport                 // a Fitbit account export or Takeout: Fitbit writes pounds
)

func plausible(h float64) bool { return h >= minHeightM && h <= maxHeightM }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// unitNames are the units as the summary's reasons start.
var unitNames = map[body.Unit]string{body.Kilograms: "kilograms", body.Pounds: "pounds", body.Stone: "stone"}

// fileUnit is the unit of a file of records, and why: chosen by the person, named by the file (each record's
// weight is then already in kilograms), or detected from the numbers of the records that do not name it.
func fileUnit(recs []formats.Record, chosen body.Unit, heightCm float64) (body.Unit, string) {
	if chosen != "" {
		return chosen, "you chose it"
	}
	count := map[string]int{}
	var named []string
	var rs []reading
	for _, r := range recs {
		if r.WeightKg == 0 {
			continue
		}
		if r.Unit == "" {
			rs = append(rs, reading{weight: r.WeightKg, bmi: r.BMI})
			continue
		}
		if count[r.Unit] == 0 {
			named = append(named, r.Unit)
		}
		count[r.Unit]++
	}
	if len(rs) > 0 {
		u, why := detectUnit(rs, heightCm, weightFile)
		if len(named) > 0 {
			why += fmt.Sprintf(" (for the %d weigh-ins that do not name their unit)", len(rs))
		}
		return u, why
	}
	if len(named) == 0 {
		return body.Kilograms, "the file holds no weigh-ins"
	}
	top := named[0]
	for _, u := range named {
		if count[u] > count[top] {
			top = u
		}
	}
	u := body.Unit(top)
	if len(named) == 1 {
		return u, unitNames[u] + ": the file names the unit"
	}
	return u, fmt.Sprintf("%s: the file names each weigh-in's unit (%s), and most are %s", unitNames[u], strings.Join(named, ", "), top)
}

// overallUnit sums up the files' units for the whole import.
func overallUnit(files []FileSummary) (body.Unit, string) {
	if len(files) == 0 {
		return body.Kilograms, "the file holds no weigh-ins"
	}
	u, why := files[0].Unit, files[0].UnitReason
	for _, f := range files[1:] {
		if f.Unit != u {
			return u, why + "; the files differ, see each file"
		}
	}
	return u, why
}
