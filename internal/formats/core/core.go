// Package core holds what every export reader shares: the Record, the Reader interface and the errors, kept
// apart from package formats so that formats can import the readers that import these types.
package core

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// Record is one measurement read from an export, as the file states it. See package formats for the rules.
type Record struct {
	Date, Clock string   // local YYYY-MM-DD and HH:MM:SS as the person's clock read
	Offset      int      // seconds east of UTC, valid when OffsetKnown
	OffsetKnown bool     // Date+Clock-Offset is then the exact UTC instant
	WeightKg    float64  // 0: this record carries no weight (e.g. a height-only record)
	FatPct      *float64 // percent (16.1, not 0.161); nil when not measured
	BMI         *float64 // as the file reports it; nil when absent
	HeightCm    float64  // a height the file gives, 0 none
	LeanKg      *float64 // lean/fat-free mass when given
	Unit        string   // "kg", "lb", "st" as the file stated it, or "" when the file does not say
	Device      string   // the source label, never empty
	ExternalID  string   // a stable id when the format has one, else ""
}

// Reader is a streaming iterator: Next returns io.EOF after the last record. It never holds the whole file.
// An error that is a *RowError concerns one record: Next may be called again for the rest. Any other error
// ends the reading, and Next returns it again on every later call.
type Reader interface {
	Next() (Record, error)
}

// Format names a file format: ID is stable (the importer stores it), Name is for people.
type Format struct{ ID, Name string }

// Errors for errors.Is.
var (
	ErrTruncated     = errors.New("the file ends in the middle of its data (truncated)")
	ErrMalformed     = errors.New("the file is damaged or not in the expected structure")
	ErrUnknownFormat = errors.New("not a format bodystats knows")
	ErrLimit         = errors.New("the file exceeds a safety limit")
	ErrUnsafe        = errors.New("the archive holds an unsafe entry name")
	ErrEncrypted     = errors.New("the archive is encrypted; unzip it first (the password is in the email that brought it)")
)

// RowError is one record the reader could not read; the reader goes on with the next.
type RowError struct {
	Where string // "line 12", "byte 1048576", "entry 3"
	Err   error
}

func (e *RowError) Error() string { return fmt.Sprintf("%s: %v", e.Where, e.Err) }

func (e *RowError) Unwrap() error { return e.Err }

// DecodeKind is what a decoder's error means for the file: ErrTruncated when the data ends early (io.EOF or
// io.ErrUnexpectedEOF in its chain), else ErrMalformed.
func DecodeKind(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return ErrTruncated
	}
	return ErrMalformed
}

// Rowf builds a *RowError.
func Rowf(where string, format string, args ...any) error {
	return &RowError{Where: where, Err: fmt.Errorf(format, args...)}
}

// Check reports whether every number of r is finite and not negative, and the label is set; a reader calls
// it before handing a record out, so that no NaN, Inf or negative value ever leaves a reader.
func Check(r Record) error {
	vals := []float64{r.WeightKg, r.HeightCm}
	for _, p := range []*float64{r.FatPct, r.BMI, r.LeanKg} {
		if p != nil {
			vals = append(vals, *p)
		}
	}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("a value is not a finite number")
		}
		if v < 0 {
			return errors.New("a value is negative")
		}
	}
	if r.Device == "" {
		return errors.New("no source label")
	}
	if len(r.Date) != 10 || len(r.Clock) != 8 {
		return errors.New("no date and time")
	}
	return nil
}

// Ptr returns a pointer to v.
func Ptr(v float64) *float64 { return &v }

// Clip quotes at most n bytes of s for a message, with control characters and invalid UTF-8 replaced.
func Clip(s string, n int) string {
	out := make([]rune, 0, n)
	for i, r := range s {
		if i >= n {
			out = append(out, '…')
			break
		}
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			r = '?'
		}
		out = append(out, r)
	}
	return string(out)
}
