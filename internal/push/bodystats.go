package push

import (
	"fmt"
	"strings"
	"time"
)

// entry is one weigh-in of bodystats' own JSON. Pointers tell a missing field from a zero.
type entry struct {
	Time     *string  `json:"time"`
	WeightKg *float64 `json:"weight_kg"`
	FatPct   *float64 `json:"fat_pct"`
	BMI      *float64 `json:"bmi"`
}

func fromEntries(es []entry, o Options) (Result, error) {
	res := Result{Format: FormatBodystats}
	if o.Max > 0 && len(es) > o.Max {
		return Result{}, fmt.Errorf("%w: %d, at most %d", ErrTooMany, len(es), o.Max)
	}
	seen := make(map[int64]bool, len(es))
	for i, e := range es {
		what := fmt.Sprintf("weigh-in %d", i+1)
		if e.Time == nil || strings.TrimSpace(*e.Time) == "" {
			return Result{}, bad(`%s has no "time"; give it in RFC 3339 with its offset, e.g. "2026-11-30T07:41:09+01:00"`, what)
		}
		at, err := parseRFC3339(*e.Time)
		if err != nil {
			return Result{}, bad("%s: %v", what, err)
		}
		if e.WeightKg == nil {
			return Result{}, bad(`%s has no "weight_kg"`, what)
		}
		w := Weighin{At: at, Kg: *e.WeightKg, FatPct: e.FatPct, BMI: e.BMI, Source: defaultSourceLabel}
		if err := checkValues(what, w, o.Now); err != nil {
			return Result{}, err
		}
		if seen[at.Unix()] {
			res.Skipped++
			continue
		}
		seen[at.Unix()] = true
		res.Weighins = append(res.Weighins, w)
	}
	return res, nil
}

// parseRFC3339 reads a time with its offset; one without an offset is refused by name, since the same clock
// reading is a different instant in every zone.
func parseRFC3339(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02"} {
		if _, e := time.Parse(layout, strings.SplitN(s, ".", 2)[0]); e == nil {
			return time.Time{}, fmt.Errorf("the time %q has no UTC offset; add it, e.g. %q", s, "2026-11-30T07:41:09+01:00")
		}
	}
	return time.Time{}, fmt.Errorf("the time %q is not RFC 3339; give it like %q", s, "2026-11-30T07:41:09+01:00")
}
