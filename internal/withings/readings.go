package withings

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// Why a group gives no reading. A skipped group is not an error: the rest of the answer is stored.
var (
	errNoWeight  = errors.New("withings: the group has no usable weight")
	errNotReal   = errors.New("withings: the group is an objective, not a measure")
	errBadDate   = errors.New("withings: the group has no date")
	errBadValue  = errors.New("withings: a value is out of range")
	errBadUnit   = errors.New("withings: an exponent is out of range")
	errNoMeasure = errors.New("withings: no such measure")
)

// Plausible bounds: a weigh-in between 1 and 650 kg, a height between 0.4 and 2.8 m.
const (
	minKg, maxKg = 1, 650
	minM, maxM   = 0.4, 2.8
)

// Value is a measure's real value, Value × 10^Unit. Exponents vary between groups, even for weight (-2, -3 and
// -4 are seen); one beyond ±12 (a unit of 30) or a value of 0 or less is refused rather than scaled.
func (m Measure) real() (float64, error) {
	u := m.Unit.n
	if !m.Value.ok {
		return 0, errBadValue
	}
	if !m.Unit.ok {
		return 0, errBadUnit // an exponent left out is not 0: the value cannot be scaled
	}
	if u < -12 || u > 12 {
		return 0, errBadUnit
	}
	if m.Value.n <= 0 {
		return 0, errBadValue
	}
	v := float64(m.Value.n)
	if u < 0 {
		return v / math.Pow10(int(-u)), nil // dividing by an exact power of ten gives the nearest float: 7845/100 = 78.45
	}
	return v * math.Pow10(int(u)), nil
}

// measure is the group's first usable value of type t.
func (g Group) measure(t int) (float64, error) {
	err := errNoMeasure
	for _, m := range g.Measures {
		if m.Type.n != int64(t) {
			continue
		}
		v, verr := m.real()
		if verr == nil {
			return v, nil
		}
		err = verr
	}
	return 0, err
}

// claimed attribs are readings the scale attributed to the person: 0 device, 2 manual, 4 manual at account
// creation, 7 confirmed by the person, 8 device (as 0), 15 guided conditions. 1 is the scale unsure who stood on
// it; every other value (3, 10, 17, 10000...) is undocumented. Those stay out of the history until claimed.
func claimed(attrib int64) bool {
	switch attrib {
	case 0, 2, 4, 7, 8, 15:
		return true
	}
	return false
}

// zone is the time zone readings are dated in: the profile's IANA name, or UTC labelled "+00:00" when the name
// is not one this machine knows, so that the stored time is still an exact instant.
type zone struct {
	loc  *time.Location
	name string
}

func zoneOf(name string) (zone, bool) {
	if name == "" || strings.EqualFold(name, "local") {
		return zone{time.UTC, "+00:00"}, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return zone{time.UTC, "+00:00"}, false
	}
	return zone{loc, name}, true
}

// reading turns one group into one reading (one per grpid): weight; fat % from the fat ratio, else from fat mass
// or fat-free mass over the weight; BMI from the newest height when one is known (Withings has no BMI type).
func reading(g Group, z zone, heightM float64) (provider.Reading, error) {
	if g.Category.n == 2 {
		return provider.Reading{}, errNotReal
	}
	if !g.Date.ok || g.Date.n <= 0 || !g.GrpID.ok {
		return provider.Reading{}, errBadDate
	}
	kg, err := g.measure(TypeWeight)
	if err != nil || kg < minKg || kg > maxKg {
		return provider.Reading{}, errNoWeight
	}
	at := time.Unix(g.Date.n, 0).In(z.loc)
	r := provider.Reading{
		ExternalID: strconv.FormatInt(g.GrpID.n, 10), Date: at.Format(time.DateOnly), Clock: at.Format(time.TimeOnly),
		Zone: z.name, WeightKg: kg, Method: provider.Device, Device: "Withings", Unclaimed: !claimed(g.Attrib.n),
	}
	if pct, ok := fatPct(g, kg); ok {
		r.FatPct = &pct
	}
	if heightM >= minM && heightM <= maxM {
		bmi := math.Round(kg/(heightM*heightM)*100) / 100
		r.BMI = &bmi
	}
	switch model := modelName(g.Model); {
	case g.Attrib.n == 2 || g.Attrib.n == 4:
		r.Method, r.Device = provider.Manual, "Withings app"
	case model != "":
		r.Device = "Withings " + strings.TrimPrefix(model, "Withings ")
	}
	return r, nil
}

func fatPct(g Group, kg float64) (float64, bool) {
	if pct, err := g.measure(TypeFatRatio); err == nil && pct < 100 {
		return pct, true
	}
	if fat, err := g.measure(TypeFatMass); err == nil && fat < kg {
		return fat / kg * 100, true
	}
	if ffm, err := g.measure(TypeFFM); err == nil && ffm < kg {
		return (kg - ffm) / kg * 100, true
	}
	return 0, false
}

// modelName is the group's model when it is a name; null (manual entries) and integers give "".
func modelName(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	out := make([]rune, 0, len(s))
	for _, c := range s {
		if len(out) == 40 {
			break
		}
		if c >= ' ' && c != 0x7f {
			out = append(out, c)
		}
	}
	return strings.TrimSpace(string(out))
}

// newestHeight is the newest height (metres) among groups the person owns, with its date; 0 when none.
func newestHeight(groups []Group) (float64, int64) {
	var m float64
	var at int64
	for _, g := range groups {
		if !claimed(g.Attrib.n) || g.Category.n == 2 {
			continue
		}
		h, err := g.measure(TypeHeight)
		if err != nil || h < minM || h > maxM || g.Date.n <= at {
			continue
		}
		m, at = h, g.Date.n
	}
	return m, at
}
