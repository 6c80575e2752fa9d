package garmin

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/csvx"
)

// SniffCSV reports whether a header is the Weight page's: Time, Weight, Change first.
func SniffCSV(header []string) bool {
	return len(header) >= 3 && csvx.Key(header[0]) == "time" && csvx.Key(header[1]) == "weight" && csvx.Key(header[2]) == "change"
}

// CSVReader reads the Connect web Weight CSV. A date row (" Mar 9, 2025", which an unquoted comma splits in
// two cells) gives the date of the time rows under it ("07:12,81.0 kg,-0.3 kg,24.9,21.4%,–,–,–").
type CSVReader struct {
	cr       *csvx.Reader
	started  bool
	bmi, fat int
	date     string
}

// NewCSVReader returns a CSVReader.
func NewCSVReader(r io.Reader) *CSVReader { return &CSVReader{cr: csvx.New(r)} }

var (
	dateLayouts = []string{"Jan 2, 2006", "January 2, 2006", "2 Jan 2006", "2006-01-02"}
	timeLayouts = []string{"15:04", "3:04 PM", "15:04:05", "3:04PM"}
)

// Next returns the next weigh-in.
func (r *CSVReader) Next() (core.Record, error) {
	if !r.started {
		h, err := r.cr.Header()
		if err != nil {
			return core.Record{}, fmt.Errorf("garmin: header: %w", err)
		}
		if !SniffCSV(h) {
			return core.Record{}, fmt.Errorf("garmin: the header %q is not the weight CSV's: %w", core.Clip(strings.Join(h, ","), 60), core.ErrUnknownFormat)
		}
		r.bmi, _ = csvx.Find(h, "bmi")
		r.fat, _ = csvx.Find(h, "body fat")
		r.started = true
	}
	for {
		row, err := r.cr.Read()
		if err != nil {
			if err == io.EOF {
				return core.Record{}, io.EOF
			}
			return core.Record{}, fmt.Errorf("garmin: %w", err)
		}
		bad := func(err error) (core.Record, error) {
			return core.Record{}, &core.RowError{Where: r.cr.Where(), Err: fmt.Errorf("garmin: %w", err)}
		}
		first := csvx.Cell(row, 0)
		clock, terr := parseIn(first, timeLayouts)
		if terr != nil {
			// A date row: the date may be split by its own comma.
			d, err := parseIn(strings.TrimSpace(first+", "+csvx.Cell(row, 1)), dateLayouts)
			if err != nil {
				if d, err = parseIn(first, dateLayouts); err != nil {
					return bad(fmt.Errorf("%q is neither a date nor a time", core.Clip(first, 30)))
				}
			}
			r.date = d.Format("2006-01-02")
			continue
		}
		if r.date == "" {
			return bad(fmt.Errorf("a time row before any date row"))
		}
		rec := core.Record{Date: r.date, Clock: clock.Format("15:04:05"), Device: "Garmin"}
		v, unit, ok, err := csvx.NumberUnit(csvx.Cell(row, 1))
		if err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("no weight")
			}
			return bad(err)
		}
		if unit != "" {
			u, k, ok := core.MassUnit(unit)
			if !ok {
				return bad(fmt.Errorf("weight unit %q unknown", core.Clip(unit, 10)))
			}
			rec.Unit, v = u, v*k
		}
		rec.WeightKg = v
		for _, f := range []struct {
			col int
			dst **float64
		}{{r.bmi, &rec.BMI}, {r.fat, &rec.FatPct}} {
			v, _, ok, err := csvx.NumberUnit(csvx.Cell(row, f.col))
			if err != nil {
				return bad(err)
			}
			if ok {
				*f.dst = core.Ptr(v)
			}
		}
		if err := core.Check(rec); err != nil {
			return bad(err)
		}
		return rec, nil
	}
}

func parseIn(s string, layouts []string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var err error
	for _, l := range layouts {
		var t time.Time
		if t, err = time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}
