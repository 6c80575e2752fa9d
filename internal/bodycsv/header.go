package bodycsv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/bodystats/bodystats/internal/body"
)

// layout says where each value is in a record.
type layout struct {
	own                                        bool
	date, time, weight, unit, fat, bmi, source int // column index, -1 when absent
	weightUnit                                 body.Unit
	decimalComma                               bool
}

// column is what a header cell names.
type column int

const (
	colNone column = iota
	colDate
	colTime
	colDateTime
	colWeight
	colUnit
	colFat
	colBMI
	colSource
)

// Header names, compared after headerWords has lowered case, turned _-()[]/.:,; into spaces, split off "%", and
// dropped a trailing unit (kept only for weight). The first column of each kind wins.
var headerNames = map[string]column{
	"date": colDate, "day": colDate, "time": colTime,
	"datetime": colDateTime, "date time": colDateTime, "date and time": colDateTime,
	"timestamp": colDateTime, "time stamp": colDateTime,
	"weight": colWeight, "body weight": colWeight, "bodyweight": colWeight, "weight in": colWeight,
	"unit": colUnit, "units": colUnit, "weight unit": colUnit,
	"fat": colFat, "body fat": colFat, "bodyfat": colFat, "fat ratio": colFat,
	"bmi": colBMI, "body mass index": colBMI, "bmi kg m2": colBMI, "bmi kg m²": colBMI,
	"source": colSource,
}

// percentWords may end a body-fat header ("fat_pct", "Body Fat %") without changing what it names.
var percentWords = []string{"%", "pct", "percent", "percentage"}

// classify says what a header cell names and, for weight, the unit it names.
func classify(cell string) (column, body.Unit) {
	words := headerWords(cell)
	var unit body.Unit
	if n := len(words); n > 0 {
		if u, err := body.ParseUnit(words[n-1]); err == nil {
			unit, words = u, words[:n-1]
			if len(words) == 0 {
				return colWeight, unit // a bare "kg" or "lbs" column
			}
		}
	}
	percent := false
	for n := len(words); n > 1 && slices.Contains(percentWords, words[n-1]); n-- {
		words, percent = words[:n-1], true
	}
	c := headerNames[strings.Join(words, " ")]
	if percent && c != colFat || unit != "" && c != colWeight {
		return colNone, "" // "fat (kg)" is fat mass, not a percentage
	}
	return c, unit
}

func headerWords(cell string) []string {
	s := strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '(', ')', '[', ']', '/', '.', ':', ',', ';':
			return ' '
		}
		return r
	}, strings.ToLower(cell))
	return strings.Fields(strings.ReplaceAll(s, "%", " % "))
}

// newLayout finds the columns in a header. A date column holding a time as well is fine; a combined datetime
// column is used unless there are both a date and a time column.
func newLayout(header []string, comma rune) (layout, error) {
	if comma == ',' && slices.Equal(header, Header) {
		return layout{own: true}, nil
	}
	l := layout{date: -1, time: -1, weight: -1, unit: -1, fat: -1, bmi: -1, source: -1, decimalComma: comma != ','}
	datetime := -1
	for i, cell := range header {
		c, u := classify(cell)
		if c == colWeight && l.weight < 0 {
			l.weightUnit = u
		}
		switch c {
		case colDate:
			first(&l.date, i)
		case colTime:
			first(&l.time, i)
		case colDateTime:
			first(&datetime, i)
		case colWeight:
			first(&l.weight, i)
		case colUnit:
			first(&l.unit, i)
		case colFat:
			first(&l.fat, i)
		case colBMI:
			first(&l.bmi, i)
		case colSource:
			first(&l.source, i)
		}
	}
	if datetime >= 0 && (l.date < 0 || l.time < 0) {
		l.date = datetime
	}
	switch {
	case l.date < 0:
		return layout{}, fmt.Errorf("%w: no date column in header %s", ErrNotCSV, quote(strings.Join(header, string(comma))))
	case l.weight < 0:
		return layout{}, fmt.Errorf("%w: no weight column in header %s", ErrNotCSV, quote(strings.Join(header, string(comma))))
	}
	return l, nil
}

func first(dst *int, i int) {
	if *dst < 0 {
		*dst = i
	}
}

// row reads a record. A slash date waits for the whole file to say whether it is day first: the row comes back
// without a date, and with the slashDate to resolve.
func (l *layout) row(rec []string, line int) (Row, *slashDate, error) {
	if l.own {
		r, err := ownRow(rec, line)
		return r, nil, err
	}
	return l.genericRow(rec, line)
}

// ownRow reads a row of the app's own format strictly: it is what the Writer wrote, so nothing is guessed.
func ownRow(rec []string, line int) (Row, error) {
	if len(rec) != len(Header) {
		return Row{}, fmt.Errorf("row has %d fields, want %d", len(rec), len(Header))
	}
	r := Row{Line: line, Date: rec[0], Time: rec[1], Unit: body.Kilograms, Source: unquoteFormula(rec[5]), Provider: rec[6], ExternalID: rec[7]}
	if r.Time == "" {
		r.Time = "00:00:00"
	}
	var err error
	if r.Weight, err = parseNumber(rec[2], false); err != nil {
		return Row{}, fmt.Errorf("weight %s is not a number", quote(rec[2]))
	}
	if r.BMI, err = optional("BMI", rec[3], false, false); err != nil {
		return Row{}, err
	}
	if r.FatPct, err = optional("body fat", rec[4], false, false); err != nil {
		return Row{}, err
	}
	return r, nil
}

func (l *layout) genericRow(rec []string, line int) (Row, *slashDate, error) {
	cell := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	r := Row{Line: line, Time: "00:00:00", Unit: l.weightUnit, Source: cell(l.source)}

	w, err := parseWhen(cell(l.date))
	if err != nil {
		return Row{}, nil, err
	}
	r.Date = w.date
	if w.clock != "" {
		r.Time = w.clock
	}
	if s := cell(l.time); s != "" {
		if r.Time, err = parseClock(s); err != nil {
			return Row{}, nil, err
		}
	}

	num, cellUnit, err := splitUnit(cell(l.weight))
	if err != nil {
		return Row{}, nil, err
	}
	if s := cell(l.unit); s != "" {
		if r.Unit, err = body.ParseUnit(s); err != nil {
			return Row{}, nil, fmt.Errorf("unit %s is not kg, lb or st", quote(s))
		}
	}
	if cellUnit != "" {
		r.Unit = cellUnit
	}
	if num == "" {
		return Row{}, nil, errors.New("weight is empty")
	}
	if r.Weight, err = parseNumber(num, l.decimalComma); err != nil {
		return Row{}, nil, fmt.Errorf("weight %s is not a number", quote(num))
	}

	if r.FatPct, err = optional("body fat", strings.TrimSpace(strings.TrimSuffix(cell(l.fat), "%")), true, l.decimalComma); err != nil {
		return Row{}, nil, err
	}
	if r.BMI, err = optional("BMI", cell(l.bmi), true, l.decimalComma); err != nil {
		return Row{}, nil, err
	}
	return r, w.slash, nil
}

// optional reads a value that may be absent: an empty cell, or in a generic file also "-", "n/a" and the like.
func optional(name, s string, generic, decimalComma bool) (*float64, error) {
	if s == "" || generic && slices.Contains(missingWords, strings.ToLower(s)) {
		return nil, nil
	}
	v, err := parseNumber(s, decimalComma)
	if err != nil {
		return nil, fmt.Errorf("%s %s is not a number", name, quote(s))
	}
	return &v, nil
}

var missingWords = []string{"-", "--", "n/a", "na", "null", "none"}
