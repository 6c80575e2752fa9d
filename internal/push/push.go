// Package push decodes weigh-ins pushed to the API: bodystats' own JSON and the JSON that Health Auto Export sends.
package push

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Weighin is one pushed weigh-in, its time with the offset the client gave.
type Weighin struct {
	At     time.Time
	Kg     float64
	FatPct *float64
	BMI    *float64
	Source string // the app or device that took it, when the document names one
}

// Result is what a document held.
type Result struct {
	Format   string // FormatBodystats or FormatHealthAutoExport
	Weighins []Weighin
	// Skipped counts entries that make no weigh-in and are no mistake: a second entry for the same time, a body
	// fat or BMI reading with no weight in its minute.
	Skipped int
}

// Formats Decode recognises, by shape.
const (
	FormatBodystats        = "bodystats"
	FormatHealthAutoExport = "health-auto-export"
)

// Options bound what Decode accepts.
type Options struct {
	Max int       // most weigh-ins in one document; more is ErrTooMany
	Now time.Time // a weigh-in more than a day after Now is refused (a wrong clock or a wrong offset)
}

// ErrTooMany means the document holds more weigh-ins than Options.Max.
var ErrTooMany = errors.New("push: too many weigh-ins in one request")

// BadInput is a mistake in the document, said so the sender can fix it. Decode stops at the first one.
type BadInput struct{ Msg string }

func (e *BadInput) Error() string { return "push: " + e.Msg }

func bad(format string, args ...any) error { return &BadInput{Msg: fmt.Sprintf(format, args...)} }

// Limits of a plausible weigh-in, the same as a weigh-in typed in by hand.
const (
	MinKg, MaxKg         = 20, 400
	MaxFatPct            = 75
	MinBMI, MaxBMI       = 5, 150
	futureSlack          = 24 * time.Hour
	maxSourceLabel       = 64
	defaultSourceLabel   = "API"
	autoExportSourceName = "Health Auto Export"
)

// document holds every top-level shape Decode knows; which fields are present says which format it is.
type document struct {
	Weighins *[]entry    `json:"weighins"`
	Data     *metricsDoc `json:"data"`
	Metrics  *[]metric   `json:"metrics"` // an export saved without the "data" envelope
}

// Decode reads one JSON document: {"weighins": [...]} (bodystats' own) or a Health Auto Export document (its
// data.metrics with weight_body_mass, body_fat_percentage and body_mass_index). The body is bounded by the
// caller, so it is decoded whole.
func Decode(r io.Reader, o Options) (Result, error) {
	dec := json.NewDecoder(r)
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return Result{}, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Result{}, bad("the body holds more than one JSON value; send one object")
	}
	var res Result
	var err error
	switch {
	case doc.Weighins != nil && (doc.Data != nil || doc.Metrics != nil):
		return Result{}, bad(`the body has both "weighins" and Health Auto Export's "data"; send one kind per request`)
	case doc.Weighins != nil:
		res, err = fromEntries(*doc.Weighins, o)
	case doc.Data != nil && doc.Data.Metrics != nil:
		res, err = fromMetrics(*doc.Data.Metrics, o)
	case doc.Metrics != nil:
		res, err = fromMetrics(*doc.Metrics, o)
	default:
		return Result{}, bad(`the body is not a list of weigh-ins: send {"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.4}]} or a Health Auto Export JSON export`)
	}
	if err != nil {
		return Result{}, err
	}
	if o.Max > 0 && len(res.Weighins) > o.Max {
		return Result{}, fmt.Errorf("%w: %d, at most %d", ErrTooMany, len(res.Weighins), o.Max)
	}
	return res, nil
}

// jsonError turns a decoding failure into a sentence; an exceeded body limit passes through as it is.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return bad("the body is not valid JSON (%v at byte %d)", syntax, syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return bad("the body must be a JSON object, not %s", typ.Value)
		}
		return bad("%s holds %s where %s belongs", field, typ.Value, kindOf(typ.Type.Kind().String()))
	case errors.Is(err, io.EOF):
		return bad("the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bad("the body ends in the middle of the JSON")
	}
	return err // a read error, such as the caller's body limit: the caller tells them apart
}

func kindOf(k string) string {
	switch k {
	case "float64", "int", "int64":
		return "a number"
	case "string", "ptr":
		return "a string"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return "another type"
}

// checkValues applies the limits of a plausible weigh-in; what names the entry in messages.
func checkValues(what string, w Weighin, now time.Time) error {
	switch {
	case !(w.Kg >= MinKg && w.Kg <= MaxKg):
		return bad("%s: a weight of %v kg is not a body weight; give kilograms between %d and %d", what, w.Kg, MinKg, MaxKg)
	case w.FatPct != nil && !(*w.FatPct > 0 && *w.FatPct < MaxFatPct):
		return bad("%s: a body fat of %v%% is not plausible; give a percentage above 0 and below %d, or leave it out", what, *w.FatPct, MaxFatPct)
	case w.BMI != nil && !(*w.BMI >= MinBMI && *w.BMI <= MaxBMI):
		return bad("%s: a BMI of %v is not plausible; give one between %d and %d, or leave it out", what, *w.BMI, MinBMI, MaxBMI)
	case w.At.Year() < 1900:
		return bad("%s: the time %s is before 1900", what, w.At.Format(time.RFC3339))
	case !now.IsZero() && w.At.After(now.Add(futureSlack)):
		return bad("%s: the time %s is more than a day in the future; check the clock and the offset", what, w.At.Format(time.RFC3339))
	}
	return nil
}

func sourceLabel(s, fallback string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s))
	if s == "" {
		return fallback
	}
	if r := []rune(s); len(r) > maxSourceLabel {
		s = string(r[:maxSourceLabel])
	}
	return s
}
