package handlers

import "net/http"

// healthz serves GET /healthz: 200 "ok" when the database answers a query.
func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := h.store.Ping(r.Context()); err != nil {
		h.log.Error("health check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok"))
}
