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
	rows     *csvx.Rows
	bmi, fat int
	date     string
}

// NewCSVReader returns a CSVReader.
func NewCSVReader(in io.Reader) *CSVReader {
	r := &CSVReader{}
	r.rows = csvx.NewRows(in, "garmin", r.start)
	return r
}

func (r *CSVReader) start(h []string) error {
	if !SniffCSV(h) {
		return r.rows.Unknown(h, "not the weight CSV's")
	}
	r.bmi, _ = csvx.Find(h, "bmi")
	r.fat, _ = csvx.Find(h, "body fat")
	return nil
}

var (
	dateLayouts = []string{"Jan 2, 2006", "January 2, 2006", "2 Jan 2006", "2006-01-02"}
	timeLayouts = []string{"15:04", "3:04 PM", "15:04:05", "3:04PM"}
)

// Next returns the next weigh-in.
func (r *CSVReader) Next() (core.Record, error) {
	for {
		row, err := r.rows.Next()
		if err != nil {
			return core.Record{}, err
		}
		first := csvx.Cell(row, 0)
		clock, terr := parseIn(first, timeLayouts)
		if terr != nil {
			// A date row: the date may be split by its own comma.
			d, err := parseIn(strings.TrimSpace(first+", "+csvx.Cell(row, 1)), dateLayouts)
			if err != nil {
				if d, err = parseIn(first, dateLayouts); err != nil {
					return r.rows.Bad(fmt.Errorf("%q is neither a date nor a time", core.Clip(first, 30)))
				}
			}
			r.date = d.Format("2006-01-02")
			continue
		}
		if r.date == "" {
			return r.rows.Bad(fmt.Errorf("a time row before any date row"))
		}
		rec := core.Record{Date: r.date, Clock: clock.Format("15:04:05"), Device: "Garmin"}
		v, unit, err := csvx.RequiredUnit(row, 1, "weight")
		if err != nil {
			return r.rows.Bad(err)
		}
		if unit != "" {
			u, k, ok := core.MassUnit(unit)
			if !ok {
				return r.rows.Bad(fmt.Errorf("weight unit %q unknown", core.Clip(unit, 10)))
			}
			rec.Unit, v = u, v*k
		}
		rec.WeightKg = v
		if rec.BMI, err = csvx.OptionalUnit(row, r.bmi); err != nil {
			return r.rows.Bad(err)
		}
		if rec.FatPct, err = csvx.OptionalUnit(row, r.fat); err != nil {
			return r.rows.Bad(err)
		}
		return r.rows.Check(rec)
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
