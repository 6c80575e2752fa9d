package handlers

import (
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/chart"
	"github.com/bodystats/bodystats/internal/store"
)

// measure is one of the things the app charts, read from a weigh-in in the person's unit.
type measure struct {
	Key, Name, Link string
	unit            func(u body.Unit) string // the label shown beside values
	// value reads the measure from a weigh-in; ok is false when the weigh-in does not have it.
	value func(m store.Measurement, v view) (float64, bool)
	// missing explains, for a page with no values, why.
	missing string
}

var (
	weightMeasure = measure{
		Key: "weight", Name: "Weight", Link: "/weight", unit: body.UnitLabel,
		value:   func(m store.Measurement, v view) (float64, bool) { return body.ValueIn(m.WeightKg, v.unit), true },
		missing: "No weigh-ins yet.",
	}
	bmiMeasure = measure{
		Key: "bmi", Name: "BMI", Link: "/bmi", unit: func(body.Unit) string { return "" },
		value:   func(m store.Measurement, v view) (float64, bool) { return v.bmi(m) },
		missing: "No BMI yet: the provider reported none and bodystats does not know your height.",
	}
	fatMeasure = measure{
		Key: "fat", Name: "Body fat", Link: "/fat", unit: func(body.Unit) string { return "%" },
		value: func(m store.Measurement, _ view) (float64, bool) {
			if m.FatPct == nil {
				return 0, false
			}
			return *m.FatPct, true
		},
		missing: "No body-fat readings yet. Scales such as the Aria measure it; manual entries do not.",
	}
	fatMassMeasure = measure{
		Key: "fat-mass", Name: "Fat mass", Link: "/fat?show=fat-mass", unit: body.UnitLabel,
		value:   composition(func(fat, _ float64) float64 { return fat }),
		missing: fatMeasure.missing,
	}
	leanMassMeasure = measure{
		Key: "lean-mass", Name: "Lean mass", Link: "/fat?show=lean-mass", unit: body.UnitLabel,
		value:   composition(func(_, lean float64) float64 { return lean }),
		missing: fatMeasure.missing,
	}
	allMeasures = []measure{weightMeasure, bmiMeasure, fatMeasure}
)

// composition reads fat or lean mass, in the person's unit, from a weigh-in with body fat.
func composition(pick func(fat, lean float64) float64) func(store.Measurement, view) (float64, bool) {
	return func(m store.Measurement, v view) (float64, bool) {
		if m.FatPct == nil {
			return 0, false
		}
		fat, lean := body.Composition(m.WeightKg, *m.FatPct)
		return body.ValueIn(pick(fat, lean), v.unit), true
	}
}

// reading is one value of a measure, ready to show.
type reading struct {
	Date, Time, Value, Source string
	v                         float64
	at                        time.Time
}

// readings returns the measure's values in time order.
func (ms measure) readings(v view) []reading {
	out := make([]reading, 0, len(v.rows))
	for _, m := range v.rows {
		val, ok := ms.value(m, v)
		if !ok {
			continue
		}
		out = append(out, reading{Date: m.Date, Time: m.Time, Value: formatValue(val), Source: m.Source, v: val, at: at(m)})
	}
	return out
}

// chart draws the readings taken on or after since (all of them when since is zero).
func (ms measure) chart(rs []reading, since time.Time, u body.Unit, opts chart.Options) chart.Chart {
	pts := make([]chart.Point, 0, len(rs))
	for _, r := range rs {
		if !r.at.Before(since) {
			pts = append(pts, chart.Point{T: r.at, V: r.v})
		}
	}
	opts.Title, opts.Unit = ms.Name, ms.unit(u)
	if opts.Unit != "" {
		opts.Title += " (" + opts.Unit + ")"
	}
	return chart.New(pts, opts)
}

// compact is the dashboard cards' chart size: about half the page wide.
var compact = chart.Options{Width: 360, Height: 150, Compact: true}

// formatValue shows one decimal, the precision of the scale; exports keep every digit.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
