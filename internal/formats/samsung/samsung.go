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
	rows                                           *csvx.Rows
	loc                                            *time.Location
	start, offset, weight, height, fat, lean, uuid int
}

// NewReader returns a Reader; rows without a time_offset get the machine's zone.
func NewReader(r io.Reader) *Reader { return NewReaderIn(r, nil) }

// NewReaderIn returns a Reader that reads rows without a time_offset in loc (time.Local when nil).
func NewReaderIn(in io.Reader, loc *time.Location) *Reader {
	r := &Reader{loc: loc}
	r.rows = csvx.NewRows(in, "samsung", r.begin)
	return r
}

func (r *Reader) begin(h []string) error {
	if len(h) > 0 && SniffMeta(h[0]+",") {
		var err error
		if h, err = r.rows.Header(); err != nil {
			return err
		}
	}
	if !Sniff(h) {
		return r.rows.Unknown(h, "not the weight file's")
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
	row, err := r.rows.Next()
	if err != nil {
		return core.Record{}, err
	}
	var t time.Time
	s := csvx.Cell(row, r.start)
	for _, l := range []string{"2006-01-02 15:04:05.000", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err = time.Parse(l, s); err == nil {
			break
		}
	}
	if err != nil {
		return r.rows.Bad(fmt.Errorf("start_time %q is not a date", core.Clip(s, 30)))
	}
	rec := core.Record{Unit: "kg", Device: "Samsung Health", ExternalID: csvx.Cell(row, r.uuid)}
	if o := csvx.Cell(row, r.offset); o != "" {
		off, err := parseOffset(o)
		if err != nil {
			return r.rows.Bad(err)
		}
		rec.Date, rec.Clock, rec.Offset = core.Local(t.In(time.FixedZone("", off)))
		rec.OffsetKnown = true
	} else {
		core.FromUTC(&rec, t, r.loc)
	}
	if rec.WeightKg, err = csvx.Required(row, r.weight, "weight"); err != nil {
		return r.rows.Bad(err)
	}
	if rec.HeightCm, err = csvx.OrZero(row, r.height); err != nil {
		return r.rows.Bad(fmt.Errorf("height: %w", err))
	}
	if rec.FatPct, err = csvx.Optional(row, r.fat); err != nil {
		return r.rows.Bad(err)
	}
	if rec.LeanKg, err = csvx.Optional(row, r.lean); err != nil {
		return r.rows.Bad(err)
	}
	return r.rows.Check(rec)
}
