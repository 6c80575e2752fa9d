// Package applehealth reads the body measurements of an Apple Health export (export.zip or its main XML, under
// any localized name) by scanning bytes: only Records of a body type are decoded, the rest is stepped over.
//
// The reader collects the body Records, which are a tiny share of the file, and hands them out sorted when the
// whole input has been scanned; the rest streams through a 1 MiB window. The internal DTD is skipped without
// reading a declaration, so no entity is defined or expanded; characters XML forbids (a stray \x0b) are stepped
// over like any text. BodyFatPercentage is a fraction in the file (0.161) and becomes 16.1; masses in kg, lb,
// st or g become kg (Unit says what the file wrote); heights in cm, m, mm, in or ft become cm. startDate and
// its offset give the local time. The same weigh-in written by several apps (the same local minute, weights
// within 0.1 kg) is handed out once, under the first source seen; fat %, BMI and lean mass join the weigh-in of
// the same moment (the same source and instant first, else the same local minute), or stand alone with no
// weight. Heights are records of their own.
//
// A truncated file gives the complete body Records before the cut and then an error wrapping
// core.ErrTruncated; a second root element, a stray end tag or a DOCTYPE after the root give the Records read
// before it and an error wrapping core.ErrMalformed. A body Record that cannot be read (a value that is not a
// number, an unknown unit, a bad date) is a *core.RowError and the rest is read. Values out of range are
// handed out as they are, for the importer to judge; only NaN, Inf and negative values are refused.
package applehealth

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bodystats/bodystats/internal/formats/core"
)

// MaxBodyRecords bounds the body Records one export may hold: 20 years of daily weigh-ins by four apps in
// five types is under 150,000.
const MaxBodyRecords = 1_000_000

// Format is the format this package reads.
var Format = core.Format{ID: "apple-health", Name: "Apple Health export"}

// Reader reads one export's main XML.
type Reader struct {
	src     io.Reader
	scanned bool
	samples []sample
	out     []core.Record
	rowErrs []error
	final   error
	sources map[string]string // interned source labels
	bufSize int
	found   atomic.Int64
}

// Found is how many body Records the scan has met so far; safe to call from another goroutine while the
// first Next runs, for a progress display.
func (r *Reader) Found() int64 { return r.found.Load() }

// sample is one body Record as read.
type sample struct {
	kind        string
	date, clock string
	offset      int
	instant     int64 // Unix seconds
	value       float64
	unit        string // mass records: the Record.Unit
	source      string
	order       int
}

// NewReader returns a Reader over an export's main XML (export.xml, exportar.xml, 导出.xml...).
func NewReader(r io.Reader) *Reader {
	return &Reader{src: r, sources: map[string]string{}, bufSize: bufSize}
}

// Next returns the next body measurement; see the package doc for its errors.
func (r *Reader) Next() (core.Record, error) {
	if !r.scanned {
		r.scanned = true
		sc := newScanner(r.src, r.bufSize)
		sc.onRecord = r.record
		r.final = sc.run()
		r.out = build(r.samples)
		r.samples = nil
		if r.final == nil {
			r.final = io.EOF
		}
	}
	if len(r.rowErrs) > 0 {
		err := r.rowErrs[0]
		r.rowErrs = r.rowErrs[1:]
		return core.Record{}, err
	}
	if len(r.out) > 0 {
		rec := r.out[0]
		r.out = r.out[1:]
		return rec, nil
	}
	return core.Record{}, r.final
}

// record decodes one body Record tag.
func (r *Reader) record(tag []byte, at int64) error {
	if len(r.samples) >= MaxBodyRecords {
		return fmt.Errorf("applehealth: more than %d body records: %w", MaxBodyRecords, core.ErrLimit)
	}
	s, err := r.decode(attrs(tag))
	if err != nil {
		if len(r.rowErrs) < 1000 {
			r.rowErrs = append(r.rowErrs, &core.RowError{Where: fmt.Sprintf("byte %d", at), Err: fmt.Errorf("applehealth: %w", err)})
		}
		return nil
	}
	s.order = len(r.samples)
	r.samples = append(r.samples, s)
	r.found.Add(1)
	return nil
}

func (r *Reader) decode(a map[string]string) (sample, error) {
	s := sample{kind: a["type"]}
	v, err := strconv.ParseFloat(strings.TrimSpace(a["value"]), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return s, fmt.Errorf("%s value %q is not a number", short(s.kind), core.Clip(a["value"], 30))
	}
	unit := a["unit"]
	switch s.kind {
	case typeMass, typeLean:
		u, k, ok := core.MassUnit(unit)
		if !ok {
			return s, fmt.Errorf("%s unit %q is not a mass unit", short(s.kind), core.Clip(unit, 20))
		}
		s.unit, v = u, v*k
	case typeHeight:
		k, ok := core.LengthToCm(unit)
		if !ok {
			return s, fmt.Errorf("height unit %q is not a length unit", core.Clip(unit, 20))
		}
		v *= k
	case typeFat:
		v *= 100
	}
	if math.IsInf(v, 0) {
		return s, fmt.Errorf("%s value %q is out of any range", short(s.kind), core.Clip(a["value"], 30))
	}
	s.value = v
	t, err := parseDate(a["startDate"])
	if err != nil {
		return s, err
	}
	s.date, s.clock, s.offset = core.Local(t)
	s.instant = t.Unix()
	src := label(a["sourceName"])
	if src == "" {
		src = label(a["source"]) // iOS 8
	}
	if src == "" {
		src = deviceName(a["device"])
	}
	if src == "" {
		src = "Apple Health"
	}
	if in, ok := r.sources[src]; ok {
		src = in
	} else {
		r.sources[src] = src
	}
	s.source = src
	return s, nil
}

func short(kind string) string { return strings.TrimPrefix(kind, "HKQuantityTypeIdentifier") }

// parseDate reads "2024-03-02 07:14:58 +0100", and the compact "20150616071916-0700" of iOS 8 exports.
func parseDate(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, l := range []string{"2006-01-02 15:04:05 -0700", "20060102150405-0700", time.RFC3339} {
		if t, err := time.Parse(l, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("startDate %q is not a date", core.Clip(v, 30))
}

// sortRecords orders records by local date, clock and source.
func sortRecords(out []core.Record) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Clock != b.Clock {
			return a.Clock < b.Clock
		}
		return a.Device < b.Device
	})
}
