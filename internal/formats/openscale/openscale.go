// Package openscale reads the CSV openScale exports. 2.x writes its measurement fields as the header
// ("dateTime","weight","fat","water","muscle","visceralFat","lbm","waist",...), dates "2019-01-25 06:31" in
// local time, weight in kg whatever the display unit, fat in percent. For 3.x the header is matched by name
// too: snake_case names (date_time, body_fat, lean_body_mass), a separate date and time, ISO dates or Unix
// milliseconds are accepted.
package openscale

import (
	"fmt"
	"io"
	"strconv"
	"strings"
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
	cr                                 *csvx.Reader
	started                            bool
	dateTime, date, clock, weight, fat int
	lean                               int
}

// NewReader returns a Reader over an openScale CSV.
func NewReader(r io.Reader) *Reader { return &Reader{cr: csvx.New(r)} }

func (r *Reader) start() error {
	h, err := r.cr.Header()
	if err != nil {
		return fmt.Errorf("openscale: header: %w", err)
	}
	if !Sniff(h) {
		return fmt.Errorf("openscale: the header %q is not openScale's: %w", core.Clip(strings.Join(h, ","), 60), core.ErrUnknownFormat)
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
	if !r.started {
		if err := r.start(); err != nil {
			return core.Record{}, err
		}
		r.started = true
	}
	row, err := r.cr.Read()
	if err != nil {
		if err == io.EOF {
			return core.Record{}, io.EOF
		}
		return core.Record{}, fmt.Errorf("openscale: %w", err)
	}
	bad := func(err error) (core.Record, error) {
		return core.Record{}, &core.RowError{Where: r.cr.Where(), Err: fmt.Errorf("openscale: %w", err)}
	}
	rec := core.Record{Unit: "kg", Device: "openScale"}
	if rec.Date, rec.Clock, err = r.when(row); err != nil {
		return bad(err)
	}
	w, ok, err := csvx.Number(csvx.Cell(row, r.weight))
	if err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("no weight")
		}
		return bad(err)
	}
	rec.WeightKg = w
	// openScale writes 0 for a value it did not measure.
	for _, f := range []struct {
		col int
		dst **float64
	}{{r.fat, &rec.FatPct}, {r.lean, &rec.LeanKg}} {
		v, ok, err := csvx.Number(csvx.Cell(row, f.col))
		if err != nil {
			return bad(err)
		}
		if ok && v != 0 {
			*f.dst = core.Ptr(v)
		}
	}
	if err := core.Check(rec); err != nil {
		return bad(err)
	}
	return rec, nil
}
