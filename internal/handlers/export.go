package handlers

import (
	"errors"
	"math"
	"net/http"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/store"
)

// exportCSV serves GET /export.csv: the history, each weigh-in once, in the app's CSV format, in kilograms unless
// ?unit= names lb or st (the weight column is then weight_lb or weight_st); its provider column names the source
// whose values the row shows. A failure midway can only cut the download short, so it is logged.
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
	hist, v, err := h.loadView(r)
	if errors.Is(err, store.ErrNotFound) {
		err = nil // nothing stored yet: the header alone
	}
	for _, m := range hist.rows {
		if m.BMI == nil && v.heightCm > 0 {
			// Google Health and imports without a BMI: from the height, as the pages show it, to two decimals.
			b := math.Round(body.BMI(m.WeightKg, v.heightCm)*100) / 100
			m.BMI = &b
		}
		if err = cw.Write(m); err != nil {
			break
		}
	}
	if err == nil {
		err = cw.Flush()
	}
	if err != nil {
		h.log.Error("export failed", "path", r.URL.Path, "err", err)
	}
}
