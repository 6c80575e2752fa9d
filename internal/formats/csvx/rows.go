package csvx

import (
	"fmt"
	"io"
	"strings"

	"github.com/bodystats/bodystats/internal/formats/core"
)

// Rows is the skeleton every CSV reader shares: it reads the header on the first Next and hands it to the
// reader's start, reads the data rows, and names its errors with the reader's package (prefix) and the row's
// line. A reader keeps only its own columns, time rules, units and quirks.
type Rows struct {
	*Reader
	prefix  string
	start   func(header []string) error
	started bool
	// headerErr ends the reading: returned again by every later Next.
	headerErr error
}

// NewRows returns Rows over r; start checks the header (Unknown makes its error) and finds its columns
// before the first row. A header or start error is returned as is, and the next call tries again with the
// next record.
func NewRows(r io.Reader, prefix string, start func(header []string) error) *Rows {
	return &Rows{Reader: New(r), prefix: prefix, start: start}
}

// Next returns the next data row; io.EOF after the last. Any other error is the file's, prefixed.
func (r *Rows) Next() ([]string, error) {
	if r.headerErr != nil {
		return nil, r.headerErr // a file whose header is wrong stays wrong: no later row is read as data
	}
	if !r.started {
		h, err := r.Header()
		if err == nil {
			err = r.start(h)
		}
		if err != nil {
			r.headerErr = err
			return nil, err
		}
		r.started = true
	}
	row, err := r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("%s: %w", r.prefix, err)
	}
	return row, nil
}

// Header reads a header record, its error prefixed "<prefix>: header: ". Next reads the first; a start may
// read another (a file whose first line is not the header).
func (r *Rows) Header() ([]string, error) {
	h, err := r.Reader.Header()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", r.prefix, err)
	}
	return h, nil
}

// Unknown is the error for a header that is not the reader's: "<prefix>: the header "…" is <whose>",
// wrapping core.ErrUnknownFormat.
func (r *Rows) Unknown(header []string, whose string) error {
	return fmt.Errorf("%s: the header %q is %s: %w", r.prefix, core.Clip(strings.Join(header, ","), 60), whose, core.ErrUnknownFormat)
}

// Bad returns a *core.RowError for the row last read: the reader goes on with the next.
func (r *Rows) Bad(err error) (core.Record, error) {
	return core.Record{}, &core.RowError{Where: r.Where(), Err: fmt.Errorf("%s: %w", r.prefix, err)}
}

// Check hands rec out if core.Check accepts it, else returns a row error for it.
func (r *Rows) Check(rec core.Record) (core.Record, error) {
	if err := core.Check(rec); err != nil {
		return r.Bad(err)
	}
	return rec, nil
}

// Required parses the number in column col of row; a Missing cell is the error "no <what>", a cell that is
// not a number Number's error.
func Required(row []string, col int, what string) (float64, error) {
	v, ok, err := Number(Cell(row, col))
	if err == nil && !ok {
		err = fmt.Errorf("no %s", what)
	}
	return v, err
}

// RequiredUnit is Required for a cell that may carry its unit (NumberUnit).
func RequiredUnit(row []string, col int, what string) (float64, string, error) {
	v, unit, ok, err := NumberUnit(Cell(row, col))
	if err == nil && !ok {
		err = fmt.Errorf("no %s", what)
	}
	return v, unit, err
}

// Optional parses the number in column col of row: nil when the column is absent (-1) or the cell Missing.
func Optional(row []string, col int) (*float64, error) { return Scaled(row, col, 1) }

// Scaled is Optional with the value multiplied by k (a unit's factor to kilograms).
func Scaled(row []string, col int, k float64) (*float64, error) {
	v, ok, err := Number(Cell(row, col))
	if err != nil || !ok {
		return nil, err
	}
	return core.Ptr(v * k), nil
}

// OptionalUnit is Optional for a cell that may carry a unit, which it drops ("21.4%" gives 21.4).
func OptionalUnit(row []string, col int) (*float64, error) {
	v, _, ok, err := NumberUnit(Cell(row, col))
	if err != nil || !ok {
		return nil, err
	}
	return core.Ptr(v), nil
}

// OrZero parses the number in column col of row, 0 when the column is absent or the cell Missing (for a
// Record field where 0 means none, such as HeightCm).
func OrZero(row []string, col int) (float64, error) {
	v, _, err := Number(Cell(row, col))
	return v, err
}
