// Package withings reads the weight.csv of a Withings (Health Mate) data export: local times without a zone,
// newest first, masses in the unit the header names. Body fat % is its fat mass divided by its weight, since
// other.csv holds only rounded percentages.
package withings

import (
	"fmt"
	"io"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/csvx"
)

// Format is the format this package reads.
var Format = core.Format{ID: "withings", Name: "Withings export (weight.csv)"}

// Sniff reports whether a header line is weight.csv's: a Date column, then a "Weight (unit)" column and a
// "Fat mass (unit)" column.
func Sniff(header []string) bool {
	if len(header) < 3 || csvx.Key(header[0]) != "date" {
		return false
	}
	w, _ := csvx.Find(header, "weight")
	f, _ := csvx.Find(header, "fat mass")
	return w > 0 && f > 0
}

// Reader reads weight.csv.
type Reader struct {
	rows                    *csvx.Rows
	weight, fat, lean       int
	toKg, fatToKg, leanToKg float64
	unit                    string
}

// NewReader returns a Reader over weight.csv.
func NewReader(in io.Reader) *Reader {
	r := &Reader{}
	r.rows = csvx.NewRows(in, "withings", r.start)
	return r
}

func (r *Reader) start(header []string) error {
	if !Sniff(header) {
		return fmt.Errorf("withings: the header %q is not weight.csv's: %w", core.Clip(fmt.Sprint(header), 60), core.ErrUnknownFormat)
	}
	var ok bool
	var u string
	r.weight, u = csvx.Find(header, "weight")
	if r.unit, r.toKg, ok = core.MassUnit(u); !ok {
		return fmt.Errorf("withings: weight unit %q unknown: %w", core.Clip(u, 20), core.ErrMalformed)
	}
	r.fat, u = csvx.Find(header, "fat mass")
	if _, r.fatToKg, ok = core.MassUnit(u); !ok {
		r.fatToKg = r.toKg
	}
	r.lean, u = csvx.Find(header, "lean mass", "fat free mass")
	if _, r.leanToKg, ok = core.MassUnit(u); !ok {
		r.leanToKg = r.toKg
	}
	return nil
}

// dateLayouts: today's export, and the 2016 web dashboard's "2016-05-31 6:36 AM".
var dateLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02 3:04 PM", "2006-01-02 3:04:05 PM"}

// Next returns the next weigh-in.
func (r *Reader) Next() (core.Record, error) {
	row, err := r.rows.Next()
	if err != nil {
		return core.Record{}, err
	}
	rec := core.Record{Unit: r.unit, Device: "Withings"}
	if rec.Date, rec.Clock, err = core.ParseClock(csvx.Cell(row, 0), dateLayouts...); err != nil {
		return r.rows.Bad(err)
	}
	w, ok, err := csvx.Number(csvx.Cell(row, r.weight))
	if err != nil {
		return r.rows.Bad(fmt.Errorf("weight: %w", err))
	}
	if !ok {
		return r.rows.Bad(fmt.Errorf("no weight"))
	}
	rec.WeightKg = w * r.toKg
	if fm, ok, err := csvx.Number(csvx.Cell(row, r.fat)); err != nil {
		return r.rows.Bad(fmt.Errorf("fat mass: %w", err))
	} else if ok && rec.WeightKg > 0 {
		rec.FatPct = core.Ptr(fm * r.fatToKg / rec.WeightKg * 100)
	}
	if rec.LeanKg, err = csvx.Scaled(row, r.lean, r.leanToKg); err != nil {
		return r.rows.Bad(fmt.Errorf("lean mass: %w", err))
	}
	return r.rows.Check(rec)
}
