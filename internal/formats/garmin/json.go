// Package garmin reads Garmin Connect weigh-ins: the account export's DI_CONNECT/DI-Connect-Wellness/
// <id>_userBioMetrics.json (a JSON array; only entries with a "weight" object are weigh-ins, in grams, at
// timestampGMT in UTC, as a string or epoch milliseconds) and the Weight page's CSV export (date rows above
// time rows, units in the cells, "–" for missing, local times).
package garmin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/formats/core"
)

// Formats this package reads.
var (
	Format    = core.Format{ID: "garmin", Name: "Garmin account export (userBioMetrics.json)"}
	CSVFormat = core.Format{ID: "garmin-csv", Name: "Garmin Connect weight CSV"}
)

// MaxJSONBytes bounds one userBioMetrics file; real ones are a few megabytes.
const MaxJSONBytes = 256 << 20

// SniffJSON reports whether the first bytes of a JSON file look like userBioMetrics: an array of entries
// with a metaData.calendarDate, or with a weight object carrying timestampGMT.
func SniffJSON(head []byte) bool {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	return len(head) > 0 && head[0] == '[' &&
		(bytes.Contains(head, []byte(`"metaData"`)) && bytes.Contains(head, []byte(`"calendarDate"`)) ||
			bytes.Contains(head, []byte(`"timestampGMT"`)))
}

// JSONReader reads one userBioMetrics.json.
type JSONReader struct {
	dec     *json.Decoder
	loc     *time.Location
	started bool
	n       int
	err     error
}

// NewReader returns a JSONReader giving clock readings in the machine's zone.
func NewReader(r io.Reader) *JSONReader { return NewReaderIn(r, nil) }

// NewReaderIn returns a JSONReader giving the file's UTC instants as clock readings in loc (time.Local when nil).
func NewReaderIn(r io.Reader, loc *time.Location) *JSONReader {
	dec := json.NewDecoder(io.LimitReader(r, MaxJSONBytes))
	dec.UseNumber()
	return &JSONReader{dec: dec, loc: loc}
}

type entry struct {
	Weight *struct {
		Weight       *json.Number    `json:"weight"`
		BMI          *json.Number    `json:"bmi"`
		BodyFat      *json.Number    `json:"bodyFat"`
		TimestampGMT json.RawMessage `json:"timestampGMT"`
		SamplePk     *json.Number    `json:"samplePk"`
	} `json:"weight"`
}

// Next returns the next weigh-in; entries without a weight are passed over.
func (r *JSONReader) Next() (core.Record, error) {
	if r.err != nil {
		return core.Record{}, r.err
	}
	if !r.started {
		r.started = true
		tok, err := r.dec.Token()
		if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
			r.err = fmt.Errorf("garmin: userBioMetrics is not a JSON array: %w", core.ErrMalformed)
			return core.Record{}, r.err
		}
	}
	for {
		if !r.dec.More() {
			if _, err := r.dec.Token(); err != nil {
				r.err = fmt.Errorf("garmin: the array does not end: %w", core.ErrTruncated)
				return core.Record{}, r.err
			}
			r.err = io.EOF
			return core.Record{}, io.EOF
		}
		r.n++
		var raw json.RawMessage
		if err := r.dec.Decode(&raw); err != nil {
			r.err = fmt.Errorf("garmin: entry %d: %w: %w", r.n, core.DecodeKind(err), err)
			return core.Record{}, r.err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return core.Record{}, &core.RowError{Where: fmt.Sprintf("entry %d", r.n), Err: errors.New("garmin: an entry with values of the wrong type")}
		}
		if e.Weight == nil || e.Weight.Weight == nil {
			continue // height, VO2max, FTP entries
		}
		rec, err := r.record(e)
		if err != nil {
			return core.Record{}, &core.RowError{Where: fmt.Sprintf("entry %d", r.n), Err: fmt.Errorf("garmin: %w", err)}
		}
		return rec, nil
	}
}

func (r *JSONReader) record(e entry) (core.Record, error) {
	w := e.Weight
	t, err := gmt(w.TimestampGMT)
	if err != nil {
		return core.Record{}, err
	}
	rec := core.Record{Unit: "kg", Device: "Garmin"}
	core.FromUTC(&rec, t, r.loc)
	g, err := num(w.Weight)
	if err != nil {
		return core.Record{}, fmt.Errorf("weight: %w", err)
	}
	rec.WeightKg = g / 1000
	// A 0 is a failed impedance reading, not a measurement.
	for _, f := range []struct {
		v   *json.Number
		dst **float64
	}{{w.BMI, &rec.BMI}, {w.BodyFat, &rec.FatPct}} {
		if f.v == nil {
			continue
		}
		v, err := num(f.v)
		if err != nil {
			return core.Record{}, err
		}
		if v != 0 {
			*f.dst = core.Ptr(v)
		}
	}
	if w.SamplePk != nil {
		rec.ExternalID = "garmin:" + w.SamplePk.String()
	}
	if err := core.Check(rec); err != nil {
		return core.Record{}, err
	}
	return rec, nil
}

func num(n *json.Number) (float64, error) {
	v, err := strconv.ParseFloat(n.String(), 64)
	if err != nil || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("%q is not a measurement", core.Clip(n.String(), 30))
	}
	return v, nil
}

// gmt reads timestampGMT: "2022-08-31T06:12:34.0" (UTC, no zone) or epoch milliseconds.
func gmt(raw json.RawMessage) (time.Time, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		for _, l := range []string{"2006-01-02T15:04:05.0", "2006-01-02T15:04:05", "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05"} {
			if t, err := time.Parse(l, s); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("timestampGMT %q is not a date", core.Clip(s, 30))
	}
	if ms, err := strconv.ParseInt(string(raw), 10, 64); err == nil && ms > 0 {
		return time.UnixMilli(ms).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("timestampGMT %s is not a date", core.Clip(string(raw), 30))
}
