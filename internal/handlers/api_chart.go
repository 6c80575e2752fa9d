package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/store"
)

// chartStyle makes the chart stand alone: the page's stylesheet does not reach an <img> or a file.
const chartStyle = `<style>
svg{background:#fff;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
.chart-line{fill:none;stroke:#1f7a6d;stroke-width:1.25;stroke-linejoin:round}
.chart-dot{fill:#1f7a6d;opacity:.3}.chart-dot.above{fill:#b5462f}.chart-dot.below{fill:#1f7a6d}
.chart-grid{stroke:#e6e8e4;stroke-width:1}.chart-axis{stroke:#5b6660;stroke-width:1}
.chart-label{fill:#5b6660;font-size:12px}.chart-empty{fill:#5b6660;font-size:14px}
.chart-layer{fill:none;stroke-width:2.5}.chart-layer.trend{stroke:#c2571a}
.chart-hline{stroke:#5b6660;stroke-dasharray:6 4;stroke-width:1.5}
</style>`

// chartRanges are GET /api/v1/chart.svg's ?range= values, in days (0: everything).
var chartRanges = map[string]int{"90d": 90, "1y": 365, "all": 0}

// apiChart serves GET /api/v1/chart.svg?range=90d|1y|all (default 90d): the weight page's chart (weigh-ins,
// trend, goal line) as a standalone SVG for another dashboard. A bearer token or a signed-in session may read it;
// with no password set on loopback, so may any local page, as for every other page.
func (h *Handler) apiChart(w http.ResponseWriter, r *http.Request) {
	if !h.chartAllowed(w, r) {
		return
	}
	key := r.URL.Query().Get("range")
	if key == "" {
		key = "90d"
	}
	days, ok := chartRanges[key]
	if !ok {
		apiError(w, http.StatusBadRequest, `"range" must be 90d, 1y or all.`)
		return
	}
	hist, v, err := h.loadView(r)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.apiServerError(w, r, err)
		return
	}
	to := time.Now().UTC()
	if n := len(hist.rows); n > 0 {
		to = at(hist.rows[n-1])
	}
	to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	from := time.Time{}
	if days > 0 {
		from = to.AddDate(0, 0, -days)
	}
	c := h.measureData(weightMeasure, v, hist, from, to).Chart
	var buf bytes.Buffer
	if err := h.templates["measure.html"].ExecuteTemplate(&buf, "chart", c); err != nil {
		h.apiServerError(w, r, err)
		return
	}
	svg := standalone(buf.String(), c.Width, c.Height)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	// Opened on its own the SVG is a document: its inline stylesheet needs allowing, and nothing else loads.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.Write([]byte(svg))
}

// standalone gives the page's inline chart an XML declaration, a size and its own stylesheet.
func standalone(svg string, width, height float64) string {
	size := ` width="` + strconv.FormatFloat(width, 'f', -1, 64) + `" height="` + strconv.FormatFloat(height, 'f', -1, 64) + `"`
	svg = strings.Replace(svg, "<svg ", "<svg"+size+" ", 1)
	if i := strings.IndexByte(svg, '>'); i >= 0 {
		svg = svg[:i+1] + "\n" + chartStyle + svg[i+1:]
	}
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + svg + "\n"
}

// chartAllowed admits a valid bearer token or a signed-in browser (or anyone, with no password on loopback);
// else it answers 401.
func (h *Handler) chartAllowed(w http.ResponseWriter, r *http.Request) bool {
	if _, ok := bearer(r); ok || tokenInQuery(r) {
		_, ok := h.apiToken(w, r)
		return ok
	}
	_, err := h.store.PasswordHash(r.Context())
	switch {
	case errors.Is(err, store.ErrNotFound):
		if !h.auth.exposed {
			return true
		}
	case err != nil:
		h.apiServerError(w, r, err)
		return false
	default:
		if h.signedIn(w, r) != nil {
			return true
		}
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="bodystats"`)
	apiError(w, http.StatusUnauthorized, "Sign in to bodystats in this browser, or send Authorization: Bearer TOKEN.")
	return false
}
