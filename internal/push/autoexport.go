package push

import (
	"fmt"
	"strings"
	"time"
)

// Health Auto Export (an iOS app relaying Apple Health) posts {"data": {"metrics": [...]}}, each metric a name,
// its units and data points {"date": "2026-11-30 07:41:09 +0100", "qty": 79.4, "source": "Withings"}. Other
// metrics (steps, heart rate) and "workouts" are ignored.
type metricsDoc struct {
	Metrics *[]metric `json:"metrics"`
}

type metric struct {
	Name  string  `json:"name"`
	Units string  `json:"units"`
	Data  []point `json:"data"`
}

type point struct {
	Date   *string  `json:"date"`
	Qty    *float64 `json:"qty"`
	Source string   `json:"source"`
}

// The metric names bodystats reads.
const (
	metricWeight = "weight_body_mass"
	metricFat    = "body_fat_percentage"
	metricBMI    = "body_mass_index"
)

// autoExportLayouts are the date forms seen: the documented "yyyy-MM-dd HH:mm:ss Z", the same with a colon in
// the offset, the 12-hour form an iPhone set to a 12-hour clock produces, and RFC 3339.
var autoExportLayouts = []string{
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 3:04:05 PM -0700",
	"2006-01-02 3:04:05 pm -0700",
	time.RFC3339Nano,
}

func fromMetrics(ms []metric, o Options) (Result, error) {
	res := Result{Format: FormatHealthAutoExport}
	type slot struct {
		i   int // index into res.Weighins
		sec int64
	}
	byMinute := map[int64]slot{}
	var fats, bmis []struct {
		at time.Time
		v  float64
	}
	for _, m := range ms {
		name := strings.ToLower(strings.TrimSpace(m.Name))
		if name != metricWeight && name != metricFat && name != metricBMI {
			continue
		}
		toKg := 1.0
		if name == metricWeight {
			f, err := weightFactor(m.Units)
			if err != nil {
				return Result{}, err
			}
			toKg = f
		}
		for i, p := range m.Data {
			what := fmt.Sprintf("%s entry %d", name, i+1)
			if p.Date == nil || strings.TrimSpace(*p.Date) == "" {
				return Result{}, bad(`%s has no "date"`, what)
			}
			at, err := parseAutoExportDate(*p.Date)
			if err != nil {
				return Result{}, bad("%s: %v", what, err)
			}
			if p.Qty == nil {
				return Result{}, bad(`%s has no "qty"`, what)
			}
			v := *p.Qty
			switch name {
			case metricWeight:
				if o.Max > 0 && len(res.Weighins) >= o.Max {
					return Result{}, fmt.Errorf("%w: more than %d", ErrTooMany, o.Max)
				}
				w := Weighin{At: at, Kg: v * toKg, Source: sourceLabel(p.Source, autoExportSourceName)}
				if err := checkValues(what, w, o.Now); err != nil {
					return Result{}, err
				}
				min := at.Unix() / 60
				if _, dup := byMinute[min]; dup {
					res.Skipped++
					continue
				}
				byMinute[min] = slot{i: len(res.Weighins), sec: at.Unix()}
				res.Weighins = append(res.Weighins, w)
			case metricFat:
				// Percent, as the app documents; a fraction (0.192) has been seen too, and no body is under 1% fat.
				if v > 0 && v <= 1 {
					v *= 100
				}
				if err := checkValues(what, Weighin{At: at, Kg: MinKg, FatPct: &v}, o.Now); err != nil {
					return Result{}, err
				}
				fats = append(fats, struct {
					at time.Time
					v  float64
				}{at, v})
			case metricBMI:
				if err := checkValues(what, Weighin{At: at, Kg: MinKg, BMI: &v}, o.Now); err != nil {
					return Result{}, err
				}
				bmis = append(bmis, struct {
					at time.Time
					v  float64
				}{at, v})
			}
		}
	}
	// Body fat and BMI join the weight of their minute (a scale writes them together); alone they are no weigh-in.
	for _, f := range fats {
		s, ok := byMinute[f.at.Unix()/60]
		if !ok || res.Weighins[s.i].FatPct != nil {
			res.Skipped++
			continue
		}
		v := f.v
		res.Weighins[s.i].FatPct = &v
	}
	for _, b := range bmis {
		s, ok := byMinute[b.at.Unix()/60]
		if !ok || res.Weighins[s.i].BMI != nil {
			res.Skipped++
			continue
		}
		v := b.v
		res.Weighins[s.i].BMI = &v
	}
	return res, nil
}

// weightFactor converts a weight metric's units to kilograms.
func weightFactor(units string) (float64, error) {
	switch strings.ToLower(strings.TrimSpace(units)) {
	case "kg":
		return 1, nil
	case "lb", "lbs":
		return 0.45359237, nil
	case "st":
		return 6.35029318, nil
	case "g":
		return 0.001, nil
	case "":
		return 0, bad(`%s has no "units"; bodystats needs to know whether it is in kg or lb`, metricWeight)
	}
	return 0, bad(`%s is in %q; bodystats reads kg, lb and st`, metricWeight, units)
}

func parseAutoExportDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range autoExportLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 3:04:05 PM", "2006-01-02T15:04:05"} {
		if _, err := time.Parse(layout, s); err == nil {
			return time.Time{}, fmt.Errorf("the date %q has no UTC offset; Health Auto Export sends one, e.g. %q", s, "2026-11-30 07:41:09 +0100")
		}
	}
	return time.Time{}, fmt.Errorf("the date %q is not in Health Auto Export's form, e.g. %q", s, "2026-11-30 07:41:09 +0100")
}
