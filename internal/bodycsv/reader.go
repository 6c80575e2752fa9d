package bodycsv

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/bodystats/bodystats/internal/body"
)

// Row is one weigh-in read from a CSV file, before unit conversion.
type Row struct {
	Line       int       // 1-based line in the file where the row starts, for messages
	Date       string    // YYYY-MM-DD
	Time       string    // HH:MM:SS; a file without a time, or an empty cell, gives "00:00:00"
	Weight     float64   // in Unit
	Unit       body.Unit // "" when the file does not say (the importer then detects it)
	FatPct     *float64  // nil when the file has no value
	BMI        *float64  // nil when the file has no value
	Source     string
	Provider   string // only from the app's own format
	ExternalID string // only from the app's own format
}

// Format says which layout a file has.
type Format int

// The zero Format is no format: Read returns it only with an error.
const (
	FormatOwn     Format = iota + 1 // exactly the app's export header (Header), as the Writer writes it
	FormatGeneric                   // any other header with a date and a weight column
)

func (f Format) String() string {
	switch f {
	case FormatOwn:
		return "own"
	case FormatGeneric:
		return "generic"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// RowProblem is a row Read skipped. Err is a short sentence quoting at most 40 characters of the row.
type RowProblem struct {
	Line int
	Err  error
}

func (p RowProblem) Error() string { return fmt.Sprintf("bodycsv: line %d: %v", p.Line, p.Err) }

func (p RowProblem) Unwrap() error { return p.Err }

// File is what Read found in a file.
type File struct {
	Format   Format
	Unit     body.Unit // unit named by the weight header ("weight_kg", "Weight (lbs)", "weight [st]"); "" when unknown or per row
	Rows     []Row     // in file order; each passed validation
	Problems []RowProblem
}

// Limits bound what Read accepts. A zero or negative field means its default.
type Limits struct {
	MaxBytes int64 // default DefaultMaxBytes
	MaxRows  int   // data rows, bad ones included; default DefaultMaxRows
}

// The defaults allow decades of several weigh-ins a day while keeping a stray upload from filling memory.
const (
	DefaultMaxBytes = 64 << 20
	DefaultMaxRows  = 1_000_000
)

var (
	// ErrNotCSV means the input has no recognisable header: no date and weight columns on its first line.
	ErrNotCSV = errors.New("bodycsv: not a weight CSV")
	// ErrLimit means the input is larger than Limits allow.
	ErrLimit = errors.New("bodycsv: file too large")
	// ErrAmbiguousDates means slash dates like 03/04/2024 could be read day first or month first.
	ErrAmbiguousDates = errors.New("bodycsv: ambiguous dates")
)

// Read reads weigh-ins from a CSV file in the app's own format or a generic one.
//
// The first line is the header. It is the app's own format when it is exactly Header, comma-separated; then
// weight_kg is in kg, empty bmi and fat_pct are nil, and values are kept exactly as written, so an export reads
// back to the same measurements. Any other header is generic. Its cells are matched ignoring case, spaces,
// _-()[]/.:,; and a trailing %: date (date, day), time (time), a combined datetime (datetime, timestamp,
// date time), weight (weight, body weight, bodyweight, a bare unit; "weight_kg", "Weight (lbs)", "weight [st]"
// name the unit), a per-row unit (unit: kg, lb, st and their spellings), body fat (fat, fat_pct, body fat %,
// bodyfat, fat ratio; not fat mass), bmi, source. The first column of each kind wins. Without a date or a
// weight column Read returns ErrNotCSV.
//
// The delimiter is the commonest of comma, semicolon and tab on the first line (ties go to the comma) that gives
// a header with date and weight columns, or the one an Excel "sep=;" first line names; with semicolon or tab, "82,4" is read as 82.4. A UTF-8 BOM is ignored, and
// so are rows of empty cells. In generic files a weight cell may carry its unit ("176 lb", which beats the unit
// column, which beats the header), a fat cell a "%", and "-", "n/a" or "null" mean no fat or BMI.
//
// Dates may be YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY, or NN/NN/YYYY (also NN-NN-YYYY). The last is read day first
// if some row's first number is over 12, month first if some row's second number is over 12; if both happen,
// or neither does and some date is still ambiguous (03/04/2024), Read refuses the file with ErrAmbiguousDates.
// A date cell may hold a time too. Times (H:MM[:SS], fractions, AM/PM) are kept as the local wall clock
// written, any zone ("Z", "+01:00") dropped; no time gives "00:00:00".
//
// A bad row (unreadable or impossible date or time, a weight that is empty, not a number, over 700 in any unit
// or under 10 kg, body fat outside 0..100, BMI outside 5..150) is skipped and reported in Problems; the rest are
// kept. A weight in no known unit must be at least 10 kg read as stone. Input beyond lim gives an error
// wrapping ErrLimit.
func Read(r io.Reader, lim Limits) (File, error) {
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = DefaultMaxBytes
	}
	if lim.MaxRows <= 0 {
		lim.MaxRows = DefaultMaxRows
	}
	src := &limitedReader{r: r, left: lim.MaxBytes}
	f, err := read(src, lim.MaxRows)
	if src.over {
		return File{}, fmt.Errorf("bodycsv: more than %d bytes: %w", lim.MaxBytes, ErrLimit)
	}
	if err != nil {
		return File{}, err
	}
	return f, nil
}

func read(src io.Reader, maxRows int) (File, error) {
	br := bufio.NewReader(src)
	pre, comma, err := sniff(br)
	if err != nil {
		return File{}, err
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(pre), br))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return File{}, fmt.Errorf("%w: the file is empty", ErrNotCSV)
	case isParseError(err):
		return File{}, fmt.Errorf("%w: the header is not CSV", ErrNotCSV)
	case err != nil:
		return File{}, fmt.Errorf("bodycsv: read: %w", err)
	}
	l, err := newLayout(header, comma)
	if err != nil {
		return File{}, err
	}

	f := File{Format: FormatGeneric, Unit: l.weightUnit}
	if l.own {
		f.Format, f.Unit = FormatOwn, body.Kilograms
	}
	var slashes []*slashDate
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if n > maxRows {
			return File{}, fmt.Errorf("bodycsv: more than %d rows: %w", maxRows, ErrLimit)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			f.Problems = append(f.Problems, RowProblem{Line: pe.StartLine, Err: fmt.Errorf("malformed CSV: %w", pe.Err)})
			continue
		}
		if err != nil {
			return File{}, fmt.Errorf("bodycsv: read: %w", err)
		}
		if blank(rec) {
			continue // spreadsheets pad with ",,,," rows
		}
		line, _ := cr.FieldPos(0)
		row, slash, err := l.row(rec, line)
		if err == nil && slash == nil {
			err = checkRow(row)
		}
		if err != nil {
			f.Problems = append(f.Problems, RowProblem{Line: line, Err: err})
			continue
		}
		if slash != nil {
			slash.line, slash.index = line, len(f.Rows)
			slashes = append(slashes, slash)
		}
		f.Rows = append(f.Rows, row)
	}
	if len(slashes) == 0 {
		return f, nil
	}

	dayFirst, err := slashOrder(slashes)
	if err != nil {
		return File{}, err
	}
	for _, s := range slashes {
		r := &f.Rows[s.index]
		err := s.resolve(r, dayFirst)
		if err == nil {
			err = checkRow(*r)
		}
		if err != nil {
			f.Problems = append(f.Problems, RowProblem{Line: r.Line, Err: err})
			r.Line = 0 // dropped below
		}
	}
	f.Rows = slices.DeleteFunc(f.Rows, func(r Row) bool { return r.Line == 0 })
	// Slash-date problems are found after the loop; report all in file order.
	slices.SortStableFunc(f.Problems, func(a, b RowProblem) int { return cmp.Compare(a.Line, b.Line) })
	return f, nil
}

func isParseError(err error) bool {
	var pe *csv.ParseError
	return errors.As(err, &pe)
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}
