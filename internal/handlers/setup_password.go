package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/store"
)

type setupPasswordData struct {
	CSRF    string
	Problem string
	Min     int
}

// firstRun reports whether the app is in its first run beyond loopback: exposed with no password yet. Then
// only /setup-password is served (with /healthz and static files).
func (h *Handler) firstRun(r *http.Request) (bool, error) {
	if !h.auth.exposed {
		return false, nil
	}
	_, err := h.store.PasswordHash(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	return false, err
}

// setupPasswordForm serves GET /setup-password: on a first run beyond loopback, the form that sets the password
// with the one-time setup code printed in the server's output.
func (h *Handler) setupPasswordForm(w http.ResponseWriter, r *http.Request) {
	first, err := h.firstRun(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if !first {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.renderSetupPassword(w, r, http.StatusOK, "")
}

func (h *Handler) renderSetupPassword(w http.ResponseWriter, r *http.Request, status int, msg string) {
	data := setupPasswordData{CSRF: h.csrfField(w, r, "setup"), Problem: msg, Min: auth.MinPasswordChars}
	h.render(w, r, status, "setup_password.html", h.newPage("Set a password", "", nil, data))
}

// setupPassword serves POST /setup-password (fields code, password, confirm, csrf). The code works once; wrong
// codes count against the sign-in throttle like wrong passwords.
func (h *Handler) setupPassword(w http.ResponseWriter, r *http.Request) {
	first, err := h.firstRun(r)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if !first {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !h.checkCSRF(r, "setup") {
		h.renderSetupPassword(w, r, http.StatusForbidden, "This form has expired or did not come from bodystats. Please fill it in again.")
		return
	}
	client := h.clientKey(r)
	if wait, ok := h.auth.throttle.Allow(client); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(auth.RetryAfter(wait)))
		h.renderSetupPassword(w, r, http.StatusTooManyRequests, "Too many wrong setup codes. Please wait "+strconv.Itoa(auth.RetryAfter(wait))+" seconds before trying again.")
		return
	}
	password := r.PostFormValue("password")
	if msg := newPasswordProblem(password, r.PostFormValue("confirm")); msg != "" {
		h.renderSetupPassword(w, r, http.StatusBadRequest, msg)
		return
	}
	if !h.auth.takeSetupCode(r.PostFormValue("code")) {
		h.auth.throttle.Fail(client)
		h.log.Warn("first-run setup refused", "reason", "wrong setup code", "client", client)
		h.renderSetupPassword(w, r, http.StatusUnauthorized, "That is not the setup code. It is printed in the server's output (docker logs) when bodystats starts.")
		return
	}
	hash, err := auth.Hash(password, h.auth.params)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.store.SetPassword(r.Context(), hash, nil); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.auth.throttle.Succeed(client)
	if _, err := h.startSignIn(w, r); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.log.Info("password set on first run", "client", client)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// newPasswordProblem is the sentence to show for an unacceptable new password, "" when it is fine.
func newPasswordProblem(password, confirm string) string {
	switch err := auth.CheckNew(password); {
	case errors.Is(err, auth.ErrTooShort):
		return "Choose a password of at least " + strconv.Itoa(auth.MinPasswordChars) + " characters."
	case errors.Is(err, auth.ErrTooLong):
		return "That password is too long: at most " + strconv.Itoa(auth.MaxPasswordBytes) + " bytes."
	case password != confirm:
		return "The two passwords differ. Please type the same one twice."
	}
	return ""
}
