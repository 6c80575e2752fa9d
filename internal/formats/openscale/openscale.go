// Package openscale reads the CSV openScale exports. 2.x writes its measurement fields as the header
// ("dateTime","weight","fat","water","muscle","visceralFat","lbm","waist",...), dates "2019-01-25 06:31" in
// local time, weight in kg whatever the display unit, fat in percent. For 3.x the header is matched by name
// too: snake_case names (date_time, body_fat, lean_body_mass), a separate date and time, ISO dates or Unix
// milliseconds are accepted.
package openscale

import (
	"io"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/csvx"
)

// Format is the format this package reads.
var Format = core.Format{ID: "openscale", Name: "openScale export"}

// Column names after csvx.HeaderUnit (lowered).
var (
	dateTimeNames = []string{"datetime", "date_time", "timestamp"}
	fatNames      = []string{"fat", "body_fat", "bodyfat", "body fat"}
	leanNames     = []string{"lbm", "lbw", "lean_body_mass", "lean body mass"}
	otherNames    = []string{"water", "muscle", "visceralfat", "visceral_fat", "caliper1", "bone"}
)

// Sniff reports whether a header is openScale's: a date-time (or date and time), weight, fat and one more of
// its body-composition columns (water, muscle, lbm, visceral fat, caliper, bone).
func Sniff(header []string) bool {
	dt, _ := csvx.Find(header, dateTimeNames...)
	d, _ := csvx.Find(header, "date")
	tm, _ := csvx.Find(header, "time")
	w, _ := csvx.Find(header, "weight")
	f, _ := csvx.Find(header, fatNames...)
	l, _ := csvx.Find(header, leanNames...)
	o, _ := csvx.Find(header, otherNames...)
	return (dt >= 0 || d >= 0 && tm >= 0) && w >= 0 && f >= 0 && (l >= 0 || o >= 0)
}

// Reader reads one openScale CSV.
type Reader struct {
	rows                               *csvx.Rows
	dateTime, date, clock, weight, fat int
	lean                               int
}

// NewReader returns a Reader over an openScale CSV.
func NewReader(in io.Reader) *Reader {
	r := &Reader{}
	r.rows = csvx.NewRows(in, "openscale", r.start)
	return r
}

func (r *Reader) start(h []string) error {
	if !Sniff(h) {
		return r.rows.Unknown(h, "not openScale's")
	}
	r.dateTime, _ = csvx.Find(h, dateTimeNames...)
	r.date, _ = csvx.Find(h, "date")
	r.clock, _ = csvx.Find(h, "time")
	r.weight, _ = csvx.Find(h, "weight")
	r.fat, _ = csvx.Find(h, fatNames...)
	r.lean, _ = csvx.Find(h, leanNames...)
	return nil
}

var layouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05.000"}

func (r *Reader) when(row []string) (string, string, error) {
	if r.dateTime < 0 {
		return core.ParseClock(csvx.Cell(row, r.date)+" "+csvx.Cell(row, r.clock), layouts...)
	}
	s := csvx.Cell(row, r.dateTime)
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 0 {
		// 3.x may write Unix milliseconds: an instant, read in the machine's zone.
		t := time.UnixMilli(ms).In(time.Local)
		return t.Format("2006-01-02"), t.Format("15:04:05"), nil
	}
	return core.ParseClock(s, layouts...)
}

// Next returns the next measurement.
func (r *Reader) Next() (core.Record, error) {
	row, err := r.rows.Next()
	if err != nil {
		return core.Record{}, err
	}
	rec := core.Record{Unit: "kg", Device: "openScale"}
	if rec.Date, rec.Clock, err = r.when(row); err != nil {
		return r.rows.Bad(err)
	}
	if rec.WeightKg, err = csvx.Required(row, r.weight, "weight"); err != nil {
		return r.rows.Bad(err)
	}
	if rec.FatPct, err = csvx.Optional(row, r.fat); err != nil {
		return r.rows.Bad(err)
	}
	if rec.LeanKg, err = csvx.Optional(row, r.lean); err != nil {
		return r.rows.Bad(err)
	}
	// openScale writes 0 for a value it did not measure.
	rec.FatPct, rec.LeanKg = nonZero(rec.FatPct), nonZero(rec.LeanKg)
	return r.rows.Check(rec)
}

func nonZero(p *float64) *float64 {
	if p != nil && *p == 0 {
		return nil
	}
	return p
}
