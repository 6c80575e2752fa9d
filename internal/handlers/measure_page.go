package handlers

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/bodystats/bodystats/internal/chart"
	"github.com/bodystats/bodystats/internal/store"
)

type measureData struct {
	Key, Name, Unit string
	Value           string // latest value, "" when there is none
	Note            string
	Chart           chart.Chart
	Rows            []reading // newest first
}

// measurePage serves GET /weight, GET /bmi and GET /fat: one measure over the whole history, as a chart and a table.
func (h *Handler) measurePage(ms measure) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hist, err := h.history(r)
		if errors.Is(err, store.ErrNotFound) {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		rs := ms.readings(hist.rows, hist.heightCm)
		data := measureData{Key: ms.Key, Name: ms.Name, Unit: ms.Unit, Note: ms.missing, Chart: ms.chart(rs, time.Time{}, false)}
		if len(rs) > 0 {
			first, latest := rs[0], rs[len(rs)-1]
			data.Value = latest.Value
			data.Note = "Latest, " + latest.Date + " " + latest.Time + " · " + itoa(len(rs)) + " values since " + first.Date
			data.Rows = slices.Clone(rs)
			slices.Reverse(data.Rows)
		}
		h.render(w, r, http.StatusOK, "measure.html", h.newPage(ms.Name, ms.Key, hist.acct, data))
	}
}
