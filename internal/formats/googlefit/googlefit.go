// Package googlefit reads the data-point JSON of a Google Fit Takeout (Takeout/Fit/All Data/
// derived_com.google.weight_….json and its raw_ siblings): {"Data Source": …, "Data Points": [{"fitValue":
// [{"value":{"fpVal":80.6}}], "startTimeNanos": …, "dataTypeName": "com.google.weight"}]}. Weights are kg,
// heights metres, body fat percent; times are Unix nanoseconds, UTC.
package googlefit

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

// Format is the format this package reads.
var Format = core.Format{ID: "google-fit", Name: "Google Fit Takeout"}

// MaxBytes bounds one data-point file.
const MaxBytes = 512 << 20

// Sniff reports whether the first bytes of a JSON file are a Fit data-point file of a body type.
func Sniff(head []byte) bool {
	return bytes.Contains(head, []byte(`"Data Points"`)) || bytes.Contains(head, []byte(`"Data Source"`)) &&
		(bytes.Contains(head, []byte("com.google.weight")) || bytes.Contains(head, []byte("com.google.height")) ||
			bytes.Contains(head, []byte("com.google.body.fat")))
}

// Reader reads one data-point file.
type Reader struct {
	dec     *json.Decoder
	loc     *time.Location
	started bool
	n       int
	err     error
}

// NewReader returns a Reader giving clock readings in the machine's zone.
func NewReader(r io.Reader) *Reader { return NewReaderIn(r, nil) }

// NewReaderIn returns a Reader giving the file's UTC instants as clock readings in loc (time.Local when nil).
func NewReaderIn(r io.Reader, loc *time.Location) *Reader {
	dec := json.NewDecoder(io.LimitReader(r, MaxBytes))
	return &Reader{dec: dec, loc: loc}
}

type point struct {
	FitValue []struct {
		Value struct {
			FpVal *float64 `json:"fpVal"`
		} `json:"value"`
	} `json:"fitValue"`
	StartTimeNanos json.Number `json:"startTimeNanos"`
	DataTypeName   string      `json:"dataTypeName"`
}

func (r *Reader) fail(kind error, format string, args ...any) error {
	r.err = fmt.Errorf("googlefit: %s: %w", fmt.Sprintf(format, args...), kind)
	return r.err
}

// seek moves the decoder into the "Data Points" array, stepping over the other members of the object.
func (r *Reader) seek() error {
	if tok, err := r.dec.Token(); err != nil || tok != json.Delim('{') {
		return r.fail(core.ErrMalformed, "not a JSON object")
	}
	for r.dec.More() {
		key, err := r.dec.Token()
		if err != nil {
			return r.fail(core.ErrTruncated, "the object ends early")
		}
		if key == "Data Points" {
			if tok, err := r.dec.Token(); err != nil || tok != json.Delim('[') {
				return r.fail(core.ErrMalformed, `"Data Points" is not an array`)
			}
			return nil
		}
		var skip json.RawMessage
		if err := r.dec.Decode(&skip); err != nil {
			return r.fail(core.ErrTruncated, "the object ends early")
		}
	}
	return r.fail(core.ErrUnknownFormat, `no "Data Points"`)
}

// Next returns the next measurement.
func (r *Reader) Next() (core.Record, error) {
	if r.err != nil {
		return core.Record{}, r.err
	}
	if !r.started {
		r.started = true
		if err := r.seek(); err != nil {
			return core.Record{}, err
		}
	}
	if !r.dec.More() {
		if _, err := r.dec.Token(); err != nil {
			return core.Record{}, r.fail(core.ErrTruncated, "the Data Points array does not end")
		}
		r.err = io.EOF // what follows the array is not read
		return core.Record{}, io.EOF
	}
	r.n++
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		return core.Record{}, r.fail(core.DecodeKind(err), "point %d: %v", r.n, err)
	}
	rec, err := r.record(raw)
	if err != nil {
		return core.Record{}, &core.RowError{Where: fmt.Sprintf("point %d", r.n), Err: fmt.Errorf("googlefit: %w", err)}
	}
	return rec, nil
}

func (r *Reader) record(raw json.RawMessage) (core.Record, error) {
	var p point
	if err := json.Unmarshal(raw, &p); err != nil {
		return core.Record{}, errors.New("a data point with values of the wrong type")
	}
	if len(p.FitValue) == 0 || p.FitValue[0].Value.FpVal == nil {
		return core.Record{}, errors.New("a data point without fpVal")
	}
	v := *p.FitValue[0].Value.FpVal
	ns, err := strconv.ParseInt(p.StartTimeNanos.String(), 10, 64)
	if err != nil || ns <= 0 {
		return core.Record{}, fmt.Errorf("startTimeNanos %q is not a time", core.Clip(p.StartTimeNanos.String(), 30))
	}
	rec := core.Record{Device: "Google Fit"}
	core.FromUTC(&rec, time.Unix(0, ns).UTC(), r.loc)
	switch p.DataTypeName {
	case "com.google.weight":
		rec.WeightKg, rec.Unit = v, "kg"
	case "com.google.height":
		rec.HeightCm = v * 100
	case "com.google.body.fat.percentage":
		rec.FatPct = core.Ptr(v)
	default:
		return core.Record{}, fmt.Errorf("data type %q is not a body measurement", core.Clip(p.DataTypeName, 40))
	}
	if math.IsInf(rec.HeightCm, 0) {
		return core.Record{}, errors.New("a height out of any range")
	}
	if err := core.Check(rec); err != nil {
		return core.Record{}, err
	}
	return rec, nil
}
