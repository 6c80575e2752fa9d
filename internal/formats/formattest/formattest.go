// Package formattest holds what the readers' tests share: reading a whole file and the fuzz check.
package formattest

import (
	"errors"
	"io"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Approx compares floats to 1e-9.
var Approx = cmpopts.EquateApprox(0, 1e-9)

// P returns a pointer to v.
func P(v float64) *float64 { return &v }

// ReadAll reads r to the end: the records, the row errors, and the final error (nil for io.EOF).
func ReadAll(tb testing.TB, r core.Reader) ([]core.Record, []error, error) {
	tb.Helper()
	var out []core.Record
	var rows []error
	for i := 0; i < 1_000_000; i++ {
		rec, err := r.Next()
		var re *core.RowError
		switch {
		case errors.As(err, &re):
			rows = append(rows, err)
		case err == io.EOF:
			return out, rows, nil
		case err != nil:
			return out, rows, err
		default:
			out = append(out, rec)
		}
	}
	tb.Fatal("the reader never ended")
	return nil, nil, nil
}

// Fuzz reads in with newReader and fails on a panic, an endless reader, a record Check refuses, or a final
// error that does not wrap one of core's errors.
func Fuzz(t *testing.T, in []byte, newReader func(io.Reader) core.Reader, r io.Reader) {
	rd := newReader(r)
	for i := 0; ; i++ {
		if i > len(in)+10 {
			t.Fatal("more results than bytes")
		}
		rec, err := rd.Next()
		var re *core.RowError
		if errors.As(err, &re) {
			continue
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			for _, known := range []error{core.ErrTruncated, core.ErrMalformed, core.ErrUnknownFormat, core.ErrLimit} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("unclassified error %v", err)
		}
		if err := core.Check(rec); err != nil {
			t.Fatalf("record %+v: %v", rec, err)
		}
	}
}
