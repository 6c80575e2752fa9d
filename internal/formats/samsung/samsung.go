// Package samsung reads the weight CSV of a Samsung Health personal-data download
// (com.samsung.health.weight.<stamp>.csv): a metadata first line ("com.samsung.health.weight,<version>,<n>"),
// the header on line 2, columns possibly prefixed "com.samsung.health.weight.", ragged rows, start_time in UTC
// with time_offset ("UTC+0300") giving the local clock, kilograms and centimetres, body_fat in percent.
package samsung

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
var Format = core.Format{ID: "samsung-health", Name: "Samsung Health weight CSV"}

const prefix = "com.samsung.health.weight."

// SniffMeta reports whether a first line is the weight file's metadata line.
func SniffMeta(line string) bool {
	return strings.HasPrefix(strings.TrimPrefix(line, "\ufeff"), "com.samsung.health.weight,")
}

// Sniff reports whether a header is the weight file's (for a file whose metadata line was lost).
func Sniff(header []string) bool {
	c := columns(header)
	_, st := c["start_time"]
	_, w := c["weight"]
	_, off := c["time_offset"]
	return st && w && off
}

func columns(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		n, _ := csvx.HeaderUnit(h)
		n = strings.TrimPrefix(n, prefix)
		if _, dup := m[n]; !dup && n != "" {
			m[n] = i
		}
	}
	return m
}

// Reader reads one weight CSV.
type Reader struct {
	cr                                             *csvx.Reader
	loc                                            *time.Location
	started                                        bool
	start, offset, weight, height, fat, lean, uuid int
}

// NewReader returns a Reader; rows without a time_offset get the machine's zone.
func NewReader(r io.Reader) *Reader { return NewReaderIn(r, nil) }

// NewReaderIn returns a Reader that reads rows without a time_offset in loc (time.Local when nil).
func NewReaderIn(r io.Reader, loc *time.Location) *Reader { return &Reader{cr: csvx.New(r), loc: loc} }

func (r *Reader) begin() error {
	h, err := r.cr.Header()
	if err != nil {
		return fmt.Errorf("samsung: header: %w", err)
	}
	if len(h) > 0 && SniffMeta(h[0]+",") {
		if h, err = r.cr.Header(); err != nil {
			return fmt.Errorf("samsung: header: %w", err)
		}
	}
	if !Sniff(h) {
		return fmt.Errorf("samsung: the header %q is not the weight file's: %w", core.Clip(strings.Join(h, ","), 60), core.ErrUnknownFormat)
	}
	c := columns(h)
	get := func(names ...string) int {
		for _, n := range names {
			if i, ok := c[n]; ok {
				return i
			}
		}
		return -1
	}
	r.start, r.offset, r.weight = c["start_time"], c["time_offset"], c["weight"]
	r.height, r.fat = get("height"), get("body_fat")
	r.lean, r.uuid = get("fat_free_mass", "fat_free"), get("datauuid")
	return nil
}

// parseOffset reads "UTC+0300", "UTC-0530", "UTC+03:00", "+0300".
func parseOffset(s string) (int, error) {
	v := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "UTC")
	v = strings.ReplaceAll(v, ":", "")
	if len(v) != 5 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("time_offset %q is not like UTC+0300", core.Clip(s, 20))
	}
	h, err1 := strconv.Atoi(v[1:3])
	m, err2 := strconv.Atoi(v[3:])
	if err1 != nil || err2 != nil || h > 14 || m > 59 {
		return 0, fmt.Errorf("time_offset %q is not like UTC+0300", core.Clip(s, 20))
	}
	off := h*3600 + m*60
	if v[0] == '-' {
		off = -off
	}
	return off, nil
}

// Next returns the next weigh-in.
func (r *Reader) Next() (core.Record, error) {
	if !r.started {
		if err := r.begin(); err != nil {
			return core.Record{}, err
		}
		r.started = true
	}
	row, err := r.cr.Read()
	if err != nil {
		if err == io.EOF {
			return core.Record{}, io.EOF
		}
		return core.Record{}, fmt.Errorf("samsung: %w", err)
	}
	bad := func(err error) (core.Record, error) {
		return core.Record{}, &core.RowError{Where: r.cr.Where(), Err: fmt.Errorf("samsung: %w", err)}
	}
	var t time.Time
	s := csvx.Cell(row, r.start)
	for _, l := range []string{"2006-01-02 15:04:05.000", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err = time.Parse(l, s); err == nil {
			break
		}
	}
	if err != nil {
		return bad(fmt.Errorf("start_time %q is not a date", core.Clip(s, 30)))
	}
	rec := core.Record{Unit: "kg", Device: "Samsung Health", ExternalID: csvx.Cell(row, r.uuid)}
	if o := csvx.Cell(row, r.offset); o != "" {
		off, err := parseOffset(o)
		if err != nil {
			return bad(err)
		}
		rec.Date, rec.Clock, rec.Offset = core.Local(t.In(time.FixedZone("", off)))
		rec.OffsetKnown = true
	} else {
		core.FromUTC(&rec, t, r.loc)
	}
	w, ok, err := csvx.Number(csvx.Cell(row, r.weight))
	if err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("no weight")
		}
		return bad(err)
	}
	rec.WeightKg = w
	if h, ok, err := csvx.Number(csvx.Cell(row, r.height)); err != nil {
		return bad(fmt.Errorf("height: %w", err))
	} else if ok {
		rec.HeightCm = h
	}
	for _, f := range []struct {
		col int
		dst **float64
	}{{r.fat, &rec.FatPct}, {r.lean, &rec.LeanKg}} {
		v, ok, err := csvx.Number(csvx.Cell(row, f.col))
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
