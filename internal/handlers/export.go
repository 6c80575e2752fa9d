package handlers

import (
	"net/http"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/store"
)

// exportCSV serves GET /export.csv: every stored measurement, of every account, in the app's CSV format, in
// kilograms unless ?unit= names lb or st (the weight column is then weight_lb or weight_st).
// Rows stream from the database; a failure midway can only cut the download short, so it is logged.
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) {
	unit := body.Kilograms
	if s := r.URL.Query().Get("unit"); s != "" {
		u, err := body.ParseUnit(s)
		if err != nil {
			h.fail(w, r, http.StatusBadRequest, problem{Heading: "Unknown unit",
				Message: "The export can be in kg, lb or st (for example /export.csv?unit=lb). Your data is unchanged."}, nil)
			return
		}
		unit = u
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bodystats.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := bodycsv.NewWriterIn(w, unit)
	err := h.store.EachMeasurement(r.Context(), func(m store.Measurement) error { return cw.Write(m) })
	if err == nil {
		err = cw.Flush()
	}
	if err != nil {
		h.log.Error("export failed", "path", r.URL.Path, "err", err)
	}
}
