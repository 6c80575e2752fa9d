package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/push"
	"github.com/bodystats/bodystats/internal/store"
)

// A push holds at most maxPushWeighins weigh-ins, stored in one transaction; more is refused whole with 413.
// maxPushBody leaves room for them in Health Auto Export's wordier form (weight and body fat as two lists).
const (
	maxPushWeighins = 10000
	maxPushBody     = 4 << 20
)

// pushResult is POST /api/v1/weighins' answer. Skipped counts what stored nothing and was no mistake: weigh-ins
// this token had already sent, a second entry for the same time, body fat or BMI with no weight in its minute.
type pushResult struct {
	Added   int    `json:"added"`   // new weigh-ins in the history
	Merged  int    `json:"merged"`  // stored, but the history already held the weigh-in from another source
	Updated int    `json:"updated"` // this token had sent the same time before with other values: corrected
	Skipped int    `json:"skipped"` //
	Format  string `json:"format"`  // "bodystats" or "health-auto-export"
}

// pushWeighins serves POST /api/v1/weighins: weigh-ins pushed with an API token, bodystats' JSON
// ({"weighins": [{"time", "weight_kg", "fat_pct", "bmi"}]}) or a Health Auto Export document, recognised by
// shape. They become rows of the token's source (a relayed copy: a scale's own synced reading of the same
// minute shows instead). Any invalid weigh-in refuses the whole request with 400 and stores nothing, so a
// sender never has to work out which half went in.
func (h *Handler) pushWeighins(w http.ResponseWriter, r *http.Request) {
	tok, ok := h.apiToken(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPushBody)
	res, err := push.Decode(r.Body, push.Options{Max: maxPushWeighins, Now: time.Now()})
	var bad *push.BadInput
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		apiError(w, http.StatusRequestEntityTooLarge, "The body is over "+strconv.Itoa(maxPushBody>>20)+" MiB; send at most "+strconv.Itoa(maxPushWeighins)+" weigh-ins per request. Nothing was stored.")
		return
	case errors.Is(err, push.ErrTooMany):
		apiError(w, http.StatusRequestEntityTooLarge, "Send at most "+strconv.Itoa(maxPushWeighins)+" weigh-ins per request, in several requests if need be. Nothing was stored.")
		return
	case errors.As(err, &bad):
		apiError(w, http.StatusBadRequest, bad.Msg+". Nothing was stored.")
		return
	case err != nil:
		apiError(w, http.StatusBadRequest, "The body could not be read. Nothing was stored.")
		return
	}
	ms := make([]store.Measurement, len(res.Weighins))
	for i, wi := range res.Weighins {
		ms[i] = pushedMeasurement(tok.SourceID, wi)
	}
	out := pushResult{Skipped: res.Skipped, Format: res.Format}
	if len(ms) > 0 {
		ur, err := h.store.UpsertMeasurements(r.Context(), ms)
		if err != nil {
			h.apiServerError(w, r, err)
			return
		}
		out.Added, out.Merged, out.Updated = ur.Added, ur.Merged, ur.Updated
		out.Skipped += ur.Unchanged
		if err := h.store.TouchSource(r.Context(), tok.SourceID); err != nil {
			h.log.Warn("touch source", "source", tok.SourceID, "err", err)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// pushedMeasurement is a pushed weigh-in as a row of the token's source: the local date and time as the sender
// gave them, their offset as the zone, keyed by the instant so the same weigh-in sent again is the same row.
func pushedMeasurement(sourceID int64, wi push.Weighin) store.Measurement {
	return store.Measurement{
		SourceID:   sourceID,
		Provider:   store.KindAPI,
		ExternalID: wi.At.UTC().Format("2006-01-02T15:04:05Z"),
		Date:       wi.At.Format(time.DateOnly),
		Time:       wi.At.Format(time.TimeOnly),
		TimeZone:   wi.At.Format("-07:00"),
		WeightKg:   wi.Kg,
		FatPct:     wi.FatPct,
		BMI:        wi.BMI,
		Source:     wi.Source,
		Method:     store.MethodCopy,
	}
}
