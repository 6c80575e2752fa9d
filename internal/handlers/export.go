package handlers

import (
	"net/http"

	"github.com/bodystats/bodystats/internal/bodycsv"
)

// exportCSV serves GET /export.csv: the history, each weigh-in once, in the app's CSV format; its provider column
// names the source whose values the row shows. A failure midway can only cut the download short, so it is logged.
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bodystats.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := bodycsv.NewWriter(w)
	rows, err := h.store.History(r.Context())
	for _, m := range rows {
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
