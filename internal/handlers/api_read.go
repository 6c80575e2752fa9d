package handlers

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/bodystats/bodystats/internal/store"
)

// apiWeighin is one weigh-in as the API reads and writes it; absent values are null.
type apiWeighin struct {
	Time     string   `json:"time"` // RFC 3339 with the weigh-in's offset
	WeightKg float64  `json:"weight_kg"`
	FatPct   *float64 `json:"fat_pct"`
	BMI      *float64 `json:"bmi"` // as measured, else from the known height
}

type apiWeighins struct {
	Weighins []apiWeighin `json:"weighins"`
}

// apiWeighinList serves GET /api/v1/weighins?since=: the history (each weigh-in once, the dashboard's merge,
// outliers the person hid left out), oldest first; since is an RFC 3339 time, inclusive.
func (h *Handler) apiWeighinList(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.apiToken(w, r); !ok {
		return
	}
	var since time.Time
	if s := r.URL.Query().Get("since"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			apiError(w, http.StatusBadRequest, `"since" must be an RFC 3339 time with its offset, e.g. 2026-11-01T00:00:00+01:00 (in a URL, write + as %2B).`)
			return
		}
		since = t
	}
	_, v, err := h.loadView(r)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.apiServerError(w, r, err)
		return
	}
	var rows []store.Measurement
	for _, m := range v.rows {
		if !since.IsZero() && instant(m).Before(since) {
			continue
		}
		rows = append(rows, m)
	}
	// The history is in local clock order; across time zones the API's order is the instants'.
	slices.SortStableFunc(rows, func(a, b store.Measurement) int { return instant(a).Compare(instant(b)) })
	out := apiWeighins{Weighins: make([]apiWeighin, 0, len(rows))}
	for _, m := range rows {
		out.Weighins = append(out.Weighins, v.apiWeighin(m))
	}
	writeJSON(w, http.StatusOK, out)
}

func (v view) apiWeighin(m store.Measurement) apiWeighin {
	out := apiWeighin{Time: instant(m).Format(time.RFC3339), WeightKg: m.WeightKg, FatPct: m.FatPct}
	if b, ok := v.bmi(m); ok {
		out.BMI = &b
	}
	return out
}

// instant is the moment of a weigh-in: its local clock in its zone. A row whose zone is unknown (some imports)
// is read in the server's zone: bodystats runs beside the person it serves.
func instant(m store.Measurement) time.Time {
	loc := zoneOf(m.TimeZone)
	t, err := time.ParseInLocation(time.DateTime, m.Date+" "+m.Time, loc)
	if err != nil {
		return at(m)
	}
	return t
}

// zoneOf resolves a stored zone: a "+01:00" offset or an IANA name; time.Local when empty or unknown.
func zoneOf(name string) *time.Location {
	if name == "" {
		return time.Local
	}
	if t, err := time.Parse("Z07:00", name); err == nil {
		_, off := t.Zone()
		return time.FixedZone("", off)
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.Local
}
