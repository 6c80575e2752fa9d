// Package renpho reads the CSV the Renpho app exports (History, Export): the 2024 layout with one
// "Time of Measurement" column, the late-2025 one with the date ("2025.12.03") and the time in two columns,
// "--" for missing and a BOM, and the 2022 one with spaced headers ("Weight (KG)"). Times are local, without
// a zone; masses are in the unit the header names; fat is already a percent.
package renpho

import (
	"fmt"
	"io"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/csvx"
)

// Format is the format this package reads.
var Format = core.Format{ID: "renpho", Name: "Renpho export"}

// Column names, as csvx.HeaderUnit gives them.
var (
	dateTimeNames = []string{"time of measurement", "measurement time", "date and time"}
	dateNames     = []string{"date", "measurement date", "date of measurement"}
	timeNames     = []string{"time"}
	leanNames     = []string{"fat-free mass", "fat free mass", "fat-free body weight", "lean body mass"}
)

// Sniff reports whether a header is a Renpho export's: a weight column with its unit, and columns only
// Renpho writes (fat-free mass, subcutaneous fat, metabolic age or a "Time of Measurement").
func Sniff(header []string) bool {
	w, u := csvx.Find(header, "weight")
	if w < 0 || u == "" {
		return false
	}
	dt, _ := csvx.Find(header, dateTimeNames...)
	ff, _ := csvx.Find(header, leanNames...)
	sub, _ := csvx.Find(header, "subcutaneous fat")
	age, _ := csvx.Find(header, "metabolic age")
	return dt >= 0 || (ff >= 0 && (sub >= 0 || age >= 0))
}

// Reader reads one Renpho CSV.
type Reader struct {
	rows                               *csvx.Rows
	dateTime, date, clock, weight, fat int
	bmi, lean                          int
	unit                               string
	toKg, leanToKg                     float64
}

// NewReader returns a Reader over a Renpho CSV.
func NewReader(in io.Reader) *Reader {
	r := &Reader{}
	r.rows = csvx.NewRows(in, "renpho", r.start)
	return r
}

func (r *Reader) start(h []string) error {
	if !Sniff(h) {
		return r.rows.Unknown(h, "not a Renpho export's")
	}
	var u string
	var ok bool
	r.weight, u = csvx.Find(h, "weight")
	if r.unit, r.toKg, ok = core.MassUnit(u); !ok {
		return fmt.Errorf("renpho: weight unit %q unknown: %w", core.Clip(u, 20), core.ErrMalformed)
	}
	r.dateTime, _ = csvx.Find(h, dateTimeNames...)
	r.date, _ = csvx.Find(h, dateNames...)
	r.clock, _ = csvx.Find(h, timeNames...)
	if r.dateTime < 0 && r.date < 0 && r.clock >= 0 {
		r.dateTime, r.clock = r.clock, -1 // a lone "Time" column holds both
	}
	if r.dateTime < 0 && r.date < 0 {
		return fmt.Errorf("renpho: no date column: %w", core.ErrMalformed)
	}
	r.fat, _ = csvx.Find(h, "body fat")
	r.bmi, _ = csvx.Find(h, "bmi")
	r.lean, u = csvx.Find(h, leanNames...)
	if _, r.leanToKg, ok = core.MassUnit(u); !ok {
		r.leanToKg = r.toKg
	}
	return nil
}

var dateLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006.01.02 15:04:05", "2006.01.02 15:04",
	"2006/01/02 15:04:05", "2006/1/2 15:04:05", "2006/01/02 15:04", "2006-01-02 3:04:05 PM", "2006-01-02 3:04 PM"}

// Next returns the next weigh-in.
func (r *Reader) Next() (core.Record, error) {
	row, err := r.rows.Next()
	if err != nil {
		return core.Record{}, err
	}
	when := csvx.Cell(row, r.dateTime)
	if r.dateTime < 0 {
		when = csvx.Cell(row, r.date) + " " + csvx.Cell(row, r.clock)
	}
	rec := core.Record{Unit: r.unit, Device: "Renpho"}
	if rec.Date, rec.Clock, err = core.ParseClock(when, dateLayouts...); err != nil {
		return r.rows.Bad(err)
	}
	w, ok, err := csvx.Number(csvx.Cell(row, r.weight))
	if err != nil || !ok {
		return r.rows.Bad(fmt.Errorf("weight: %v", orMissing(err)))
	}
	rec.WeightKg = w * r.toKg
	if rec.FatPct, err = csvx.Optional(row, r.fat); err != nil {
		return r.rows.Bad(fmt.Errorf("body fat: %w", err))
	}
	if rec.BMI, err = csvx.Optional(row, r.bmi); err != nil {
		return r.rows.Bad(fmt.Errorf("BMI: %w", err))
	}
	if rec.LeanKg, err = csvx.Scaled(row, r.lean, r.leanToKg); err != nil {
		return r.rows.Bad(fmt.Errorf("fat-free mass: %w", err))
	}
	return r.rows.Check(rec)
}

func orMissing(err error) any {
	if err == nil {
		return "missing"
	}
	return err
}
