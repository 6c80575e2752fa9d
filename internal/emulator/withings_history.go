package emulator

import (
	"math"
	"time"
)

// withingsGroupsLocked builds the Withings history on first use. It is the Fitbit demo history seen through a
// Withings scale: each Aria weigh-in is a Body+ group at the same instant with weight (its exponent varying
// between -2, -3 and -4), fat ratio, fat mass and fat-free mass; each manual entry a manual group (attrib 2,
// no device) with weight alone. Besides: the height entered at account creation (type 4, attrib 4), now and
// then a heart-rate group sharing a weigh-in's date, and a guest on the scale it could not attribute (attrib 1).
func (e *Emulator) withingsGroupsLocked() []WithingsGroup {
	s := e.withings
	if s.built {
		return s.groups
	}
	s.built = true
	member, _ := time.ParseInLocation(dateLayout, e.user.MemberSince, e.loc)
	gs := []WithingsGroup{{
		GrpID: member.Unix()*10 + 3, Attrib: 4, Date: member.Unix(), Created: member.Unix(), Modified: member.Unix(), Category: 1,
		Measures: []WithingsMeasure{{Value: int64(math.Round(e.user.HeightCm)), Type: wTypeHeight, Unit: -2}},
	}}
	for i, l := range e.logs {
		at, err := time.ParseInLocation(dateLayout+" 15:04:05", l.Date+" "+l.Time, e.loc)
		if err != nil {
			continue
		}
		secs := at.Unix()
		g := WithingsGroup{GrpID: secs*10 + 0, Date: secs, Created: secs + 90, Modified: secs + 90, Category: 1}
		weightUnit := -2 - int(secs%3) // -2, -3 or -4, as real answers vary
		g.Measures = append(g.Measures, WithingsMeasure{Value: scaled(l.WeightKg, weightUnit), Type: wTypeWeight, Unit: weightUnit})
		if l.Source == "Web" {
			g.Attrib = 2
		} else {
			g.Attrib, g.Model, g.ModelID, g.DeviceID = 0, "Body+", 5, "9c1e0demo0scale"
		}
		if l.HasFat {
			fatKg := math.Round(l.WeightKg*l.FatPct) / 100
			g.Measures = append(g.Measures,
				WithingsMeasure{Value: scaled(l.FatPct, -3), Type: wTypeFatRatio, Unit: -3},
				WithingsMeasure{Value: scaled(fatKg, -2), Type: wTypeFatMass, Unit: -2},
				WithingsMeasure{Value: scaled(l.WeightKg-fatKg, -2), Type: wTypeFFM, Unit: -2})
		}
		gs = append(gs, g)
		if l.Source != "Web" && i%11 == 4 {
			gs = append(gs, WithingsGroup{GrpID: secs*10 + 1, Attrib: 8, Date: secs, Created: secs + 95, Modified: secs + 95,
				Category: 1, Model: g.Model, ModelID: g.ModelID, DeviceID: g.DeviceID,
				Measures: []WithingsMeasure{{Value: 58 + int64(i%17), Type: wTypePulse, Unit: 0}}})
		}
		if l.Source != "Web" && i%53 == 7 {
			guest := secs + 1800
			kg := 61.3 + float64(i%9)/10
			gs = append(gs, WithingsGroup{GrpID: guest*10 + 2, Attrib: 1, Date: guest, Created: guest + 90, Modified: guest + 90,
				Category: 1, Model: g.Model, ModelID: g.ModelID, DeviceID: g.DeviceID,
				Measures: []WithingsMeasure{{Value: scaled(kg, -2), Type: wTypeWeight, Unit: -2}}})
		}
	}
	sortGroups(gs)
	s.groups = gs
	for _, g := range gs {
		s.nextID = max(s.nextID, g.GrpID)
	}
	return gs
}

// scaled is v as an integer at exponent unit: scaled(78.45, -2) = 7845.
func scaled(v float64, unit int) int64 { return int64(math.Round(v * math.Pow10(-unit))) }

// WithingsValue is a measure's real value, Value × 10^Unit.
func WithingsValue(m WithingsMeasure) float64 {
	if m.Unit < 0 {
		return float64(m.Value) / math.Pow10(-m.Unit)
	}
	return float64(m.Value) * math.Pow10(m.Unit)
}
