package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/store"
)

type securityData struct {
	HasPassword bool
	Saved       bool
	Problem     string
	Min         int
}

// securitySettings serves GET /settings/security: set or change the password, sign out everywhere.
func (h *Handler) securitySettings(w http.ResponseWriter, r *http.Request) {
	h.renderSecurity(w, r, http.StatusOK, "")
}

func (h *Handler) renderSecurity(w http.ResponseWriter, r *http.Request, status int, msg string) {
	_, err := h.store.PasswordHash(r.Context())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.serverError(w, r, err)
		return
	}
	data := securityData{HasPassword: err == nil, Saved: r.URL.Query().Get("saved") == "1" && msg == "", Problem: msg, Min: auth.MinPasswordChars}
	h.render(w, r, status, "security.html", h.newPage("Sign-in and security", "settings", nil, data))
}

// changePassword serves POST /settings/password (fields current, password, confirm). A change ends every other
// signed-in session; this browser stays signed in. With no password yet (on loopback) it sets the first one and
// signs this browser in.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	old, err := h.store.PasswordHash(r.Context())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.serverError(w, r, err)
		return
	}
	hadPassword := err == nil
	client := h.clientKey(r)
	if hadPassword {
		current := r.PostFormValue("current")
		ok, wait, err := h.auth.guess(r.Context(), client, true, func() (bool, error) { return auth.Verify(current, old) })
		switch {
		case err != nil:
			h.serverError(w, r, err)
			return
		case wait > 0:
			w.Header().Set("Retry-After", strconv.Itoa(auth.RetryAfter(wait)))
			h.renderSecurity(w, r, http.StatusTooManyRequests, "Too many wrong passwords. Please wait before trying again.")
			return
		}
		if !ok {
			h.log.Warn("password change refused", "reason", "wrong current password", "client", client)
			h.renderSecurity(w, r, http.StatusUnauthorized, "The current password is not right; nothing was changed.")
			return
		}
	}
	password := r.PostFormValue("password")
	if msg := newPasswordProblem(password, r.PostFormValue("confirm")); msg != "" {
		h.renderSecurity(w, r, http.StatusBadRequest, msg+" Nothing was changed.")
		return
	}
	hash, err := auth.Hash(password, h.auth.params)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.store.SetPassword(r.Context(), hash, signInOf(r.Context())); err != nil {
		h.serverError(w, r, err)
		return
	}
	if !hadPassword {
		if _, err := h.startSignIn(w, r); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	h.log.Info("password changed", "first", !hadPassword, "client", client)
	http.Redirect(w, r, "/settings/security?saved=1", http.StatusSeeOther)
}
