package handlers

import (
	"net/http"

	"github.com/bodystats/bodystats/internal/auth"
)

// signout serves POST /signout: it ends this browser's signed-in session on the server, so a copy of its
// cookie no longer works, and clears the cookie.
func (h *Handler) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(authCookie); err == nil && c.Value != "" {
		if _, err := h.store.DeleteSignIn(r.Context(), auth.TokenHash(c.Value)); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	h.clearCookie(w, r, authCookie)
	h.log.Info("signed out", "client", h.clientKey(r))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// signoutEverywhere serves POST /signout/everywhere (Settings): every signed-in session ends, this one too.
func (h *Handler) signoutEverywhere(w http.ResponseWriter, r *http.Request) {
	n, err := h.store.DeleteSignIns(r.Context(), nil)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.clearCookie(w, r, authCookie)
	h.log.Info("signed out everywhere", "sessions", n, "client", h.clientKey(r))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
