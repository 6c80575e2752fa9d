package handlers

import (
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/chart"
	"github.com/bodystats/bodystats/internal/store"
)

// measure is one of the three things the app charts, read from a weigh-in.
type measure struct {
	Key, Name, Unit, Link string
	// value reads the measure from a weigh-in; ok is false when the weigh-in does not have it.
	value func(m store.Measurement, heightCm float64) (v float64, ok bool)
	// missing explains, for a page with no values, why.
	missing string
}

var (
	weightMeasure = measure{
		Key: "weight", Name: "Weight", Unit: "kg", Link: "/weight",
		value:   func(m store.Measurement, _ float64) (float64, bool) { return m.WeightKg, m.WeightKg > 0 },
		missing: "No weigh-ins yet.",
	}
	bmiMeasure = measure{
		Key: "bmi", Name: "BMI", Unit: "", Link: "/bmi",
		value: func(m store.Measurement, heightCm float64) (float64, bool) {
			if m.BMI != nil {
				return *m.BMI, true
			}
			// BMI shown is computed from the height when the provider gave none.
			bmi := body.BMI(m.WeightKg, heightCm)
			return bmi, bmi > 0
		},
		missing: "No BMI yet: the provider reported none and bodystats does not know your height.",
	}
	fatMeasure = measure{
		Key: "fat", Name: "Body fat", Unit: "%", Link: "/fat",
		value: func(m store.Measurement, _ float64) (float64, bool) {
			if m.FatPct == nil {
				return 0, false
			}
			return *m.FatPct, true
		},
		missing: "No body-fat readings yet. Scales such as the Aria measure it; manual entries do not.",
	}
	allMeasures = []measure{weightMeasure, bmiMeasure, fatMeasure}
)

// reading is one value of a measure, ready to show.
type reading struct {
	Date, Time, Value, Source string
	v                         float64
	at                        time.Time
}

// readings returns the measure's values in time order.
func (ms measure) readings(rows []store.Measurement, heightCm float64) []reading {
	out := make([]reading, 0, len(rows))
	for _, m := range rows {
		v, ok := ms.value(m, heightCm)
		if !ok {
			continue
		}
		at, _ := time.Parse("2006-01-02 15:04:05", m.Date+" "+m.Time)
		out = append(out, reading{Date: m.Date, Time: m.Time, Value: formatValue(v), Source: m.Source, v: v, at: at})
	}
	return out
}

// chart draws the readings taken on or after since (all of them when since is zero).
func (ms measure) chart(rs []reading, since time.Time, compact bool) chart.Chart {
	pts := make([]chart.Point, 0, len(rs))
	for _, r := range rs {
		if !r.at.Before(since) {
			pts = append(pts, chart.Point{T: r.at, V: r.v})
		}
	}
	title := ms.Name
	if ms.Unit != "" {
		title += " (" + ms.Unit + ")"
	}
	opts := chart.Options{Title: title, Unit: ms.Unit}
	if compact {
		// A card is about half the page wide: a smaller viewBox keeps its labels legible.
		opts.Width, opts.Height, opts.Compact = 360, 150, true
	}
	return chart.New(pts, opts)
}

// formatValue shows one decimal, the precision of the scale; exports keep every digit.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
