package handlers

import (
	"net/http"

	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/store"
)

// exportCSV serves GET /export.csv: every stored measurement, of every account, in the app's CSV format.
// Rows stream from the database; a failure midway can only cut the download short, so it is logged.
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bodystats.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := bodycsv.NewWriter(w)
	err := h.store.EachMeasurement(r.Context(), func(m store.Measurement) error { return cw.Write(m) })
	if err == nil {
		err = cw.Flush()
	}
	if err != nil {
		h.log.Error("export failed", "path", r.URL.Path, "err", err)
	}
}
