// Package zepp reads the BODY_<digits>.csv of a Zepp Life (Mi Fit) data export: UTC times, "null" for a
// missing value, a BOM, kilograms, fatRate in percent. The 2020 layout names the time column "timestamp".
package zepp

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/csvx"
)

// Format is the format this package reads.
var Format = core.Format{ID: "zepp-life", Name: "Zepp Life (Mi Fit) export"}

// Sniff reports whether a header is BODY.csv's: a time or timestamp column, weight, fatRate and bodyWaterRate.
func Sniff(header []string) bool {
	t, _ := csvx.Find(header, "time", "timestamp")
	w, _ := csvx.Find(header, "weight")
	f, _ := csvx.Find(header, "fatrate")
	b, _ := csvx.Find(header, "bodywaterrate")
	return t >= 0 && w >= 0 && f >= 0 && b >= 0
}

// Reader reads one BODY csv.
type Reader struct {
	rows                           *csvx.Rows
	loc                            *time.Location
	when, weight, height, bmi, fat int
}

// NewReader returns a Reader that gives clock readings in the machine's zone.
func NewReader(r io.Reader) *Reader { return NewReaderIn(r, nil) }

// NewReaderIn returns a Reader that gives the UTC times of the file as clock readings in loc (time.Local
// when nil).
func NewReaderIn(in io.Reader, loc *time.Location) *Reader {
	r := &Reader{loc: loc}
	r.rows = csvx.NewRows(in, "zepp", r.start)
	return r
}

func (r *Reader) start(h []string) error {
	if !Sniff(h) {
		return r.rows.Unknown(h, "not a Zepp Life BODY file's")
	}
	r.when, _ = csvx.Find(h, "time", "timestamp")
	r.weight, _ = csvx.Find(h, "weight")
	r.height, _ = csvx.Find(h, "height")
	r.bmi, _ = csvx.Find(h, "bmi")
	r.fat, _ = csvx.Find(h, "fatrate")
	return nil
}

// parseTime reads "2023-01-02 07:30:00+0000", a time without a zone (taken as UTC), or Unix seconds or
// milliseconds (the 2020 "timestamp" column).
func parseTime(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		if n > 1e11 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	for _, l := range []string{"2006-01-02 15:04:05-0700", "2006-01-02 15:04:05Z0700", "2006-01-02 15:04:05 -0700", time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not in a known layout", core.Clip(s, 40))
}

// Next returns the next weigh-in.
func (r *Reader) Next() (core.Record, error) {
	row, err := r.rows.Next()
	if err != nil {
		return core.Record{}, err
	}
	t, err := parseTime(csvx.Cell(row, r.when))
	if err != nil {
		return r.rows.Bad(err)
	}
	rec := core.Record{Unit: "kg", Device: "Zepp Life"}
	core.FromUTC(&rec, t, r.loc)
	if rec.WeightKg, err = csvx.Required(row, r.weight, "weight"); err != nil {
		return r.rows.Bad(err)
	}
	if rec.HeightCm, err = csvx.OrZero(row, r.height); err != nil {
		return r.rows.Bad(fmt.Errorf("height: %w", err))
	}
	if rec.BMI, err = csvx.Optional(row, r.bmi); err != nil {
		return r.rows.Bad(err)
	}
	if rec.FatPct, err = csvx.Optional(row, r.fat); err != nil {
		return r.rows.Bad(err)
	}
	return r.rows.Check(rec)
}
