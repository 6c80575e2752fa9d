// Package bodycsv reads and writes weigh-ins as CSV: the app's own format (/export.csv, the export command) and generic weight CSVs.
package bodycsv

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/store"
)

// Header is the first line of every export, as CONTRACT.md fixes it.
var Header = []string{"date", "time", "weight_kg", "bmi", "fat_pct", "source", "provider", "external_id"}

// Writer writes measurements as CSV rows under Header.
type Writer struct {
	w      *csv.Writer
	row    []string
	header []string
	unit   body.Unit
	wrote  bool
}

// NewWriter returns a Writer to w, in kilograms. The header is written with the first row, or by Flush when
// there is none.
func NewWriter(w io.Writer) *Writer { return NewWriterIn(w, body.Kilograms) }

// NewWriterIn returns a Writer whose weights are in u, its weight column named for it (weight_lb, weight_st:
// decimal stone), converted unrounded so that reading the file back gives the stored kilograms. An unknown
// unit writes kilograms.
func NewWriterIn(w io.Writer, u body.Unit) *Writer {
	header := Header
	if u == body.Pounds || u == body.Stone {
		header = append([]string(nil), Header...)
		header[2] = "weight_" + string(u)
	} else {
		u = body.Kilograms
	}
	return &Writer{w: csv.NewWriter(w), row: make([]string, len(Header)), header: header, unit: u}
}

// Write writes one measurement. Numbers are written in their shortest exact form, so nothing is rounded.
func (w *Writer) Write(m store.Measurement) error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.row[0] = m.Date
	w.row[1] = m.Time
	w.row[2] = formatFloat(body.FromKg(m.WeightKg, w.unit))
	w.row[3] = formatOptional(m.BMI)
	w.row[4] = formatOptional(m.FatPct)
	w.row[5] = quoteFormula(m.Source)
	w.row[6] = m.Provider
	w.row[7] = m.ExternalID
	if err := w.w.Write(w.row); err != nil {
		return fmt.Errorf("bodycsv: write: %w", err)
	}
	return nil
}

// Flush writes the header if no row was written, then flushes.
func (w *Writer) Flush() error {
	if err := w.writeHeader(); err != nil {
		return err
	}
	w.w.Flush()
	if err := w.w.Error(); err != nil {
		return fmt.Errorf("bodycsv: flush: %w", err)
	}
	return nil
}

func (w *Writer) writeHeader() error {
	if w.wrote {
		return nil
	}
	w.wrote = true
	if err := w.w.Write(w.header); err != nil {
		return fmt.Errorf("bodycsv: write header: %w", err)
	}
	return nil
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func formatOptional(v *float64) string {
	if v == nil {
		return ""
	}
	return formatFloat(*v)
}

// formulaStart are the first characters quoteFormula escapes: a spreadsheet's formula starts, and the apostrophe
// itself, so that a label that begins with one reads back unchanged.
const formulaStart = "=+-@\t\r'"

// quoteFormula keeps a spreadsheet from running a label as a formula: the source column holds text from
// providers, file names and pushed weigh-ins, and a cell starting with = + - @ (or a tab or CR) is a formula to
// Excel and LibreOffice. A leading apostrophe makes it text; unquoteFormula undoes it when the export is read back.
func quoteFormula(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

func unquoteFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
