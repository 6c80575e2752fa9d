package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/store"
)

type signinData struct {
	Next    string
	CSRF    string
	Problem string
}

// signinForm serves GET /signin: the password form, when a password is set. Its CSRF field is bound to a
// pre-session cookie, so another site cannot sign this browser into a session of its choosing (login CSRF).
func (h *Handler) signinForm(w http.ResponseWriter, r *http.Request) {
	if _, err := h.store.PasswordHash(r.Context()); errors.Is(err, store.ErrNotFound) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	next := r.URL.Query().Get("next")
	if !safeNext(next) {
		next = "/"
	}
	if h.signedIn(w, r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.renderSignin(w, r, http.StatusOK, next, "")
}

func (h *Handler) renderSignin(w http.ResponseWriter, r *http.Request, status int, next, msg string) {
	data := signinData{Next: next, CSRF: h.csrfField(w, r, "signin"), Problem: msg}
	h.render(w, r, status, "signin.html", h.newPage("Sign in", "", nil, data))
}

// signin serves POST /signin (field password, plus the form's csrf and next). A wrong password is counted
// against the client's address and overall; past the limits the answer is 429 with Retry-After.
func (h *Handler) signin(w http.ResponseWriter, r *http.Request) {
	hash, err := h.store.PasswordHash(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	next := r.PostFormValue("next")
	if !safeNext(next) {
		next = "/"
	}
	if !h.checkCSRF(r, "signin") {
		h.log.Warn("sign-in refused", "reason", "missing or wrong csrf field", "client", h.clientKey(r))
		h.renderSignin(w, r, http.StatusForbidden, next, "This sign-in form has expired or did not come from bodystats. Please enter your password again.")
		return
	}
	client := h.clientKey(r)
	password := r.PostFormValue("password")
	if password == "" {
		h.renderSignin(w, r, http.StatusBadRequest, next, "Enter your password.")
		return
	}
	ok, wait, err := h.auth.guess(r.Context(), client, h.knownDevice(r), func() (bool, error) { return auth.Verify(password, hash) })
	switch {
	case err != nil:
		h.serverError(w, r, err)
		return
	case wait > 0:
		h.tooMany(w, r, wait, next)
		return
	}
	if !ok {
		reason := "wrong password"
		if len(password) > auth.MaxPasswordBytes {
			reason = "password longer than any accepted"
		}
		h.log.Warn("sign-in failed", "reason", reason, "client", client)
		h.renderSignin(w, r, http.StatusUnauthorized, next, "That is not the password. Please try again.")
		return
	}
	if _, err := h.startSignIn(w, r); err != nil {
		h.serverError(w, r, err)
		return
	}
	if auth.NeedsRehash(hash, h.auth.params) {
		// Raised costs apply at the next sign-in; the same password ends no session.
		if nh, err := auth.Hash(password, h.auth.params); err == nil {
			if err := h.store.RehashPassword(r.Context(), hash, nh); err != nil {
				h.log.Warn("rehash password", "err", err)
			}
		}
	}
	h.log.Info("signed in", "client", client)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration, next string) {
	secs := auth.RetryAfter(wait)
	h.log.Warn("sign-in throttled", "client", h.clientKey(r), "retry_after_s", secs)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	h.renderSignin(w, r, http.StatusTooManyRequests, next,
		"Too many wrong passwords. Please wait "+strconv.Itoa(secs)+" seconds before trying again.")
}

// startSignIn gives this browser a new signed-in session: a fresh random token (never one the browser brought,
// so a planted cookie cannot be fixed), whose SHA-256 is stored. The browser's old session, if any, ends.
func (h *Handler) startSignIn(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if c, err := r.Cookie(authCookie); err == nil && c.Value != "" {
		if _, err := h.store.DeleteSignIn(r.Context(), auth.TokenHash(c.Value)); err != nil {
			return nil, err
		}
	}
	tok := auth.NewToken()
	hash := auth.TokenHash(tok)
	s, err := h.store.CreateSignIn(r.Context(), hash, h.auth.idle, h.auth.max)
	if err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: authCookie, Value: tok, Path: "/", Expires: s.Expires,
		MaxAge: int(h.auth.max / time.Second), HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	h.rememberDevice(w, r)
	h.clearCookie(w, r, preCookie)
	// The app's other cookie (the shown account, pending OAuth sign-ins) gets a new id too.
	sess := h.session(r)
	delete(sess.Values, keySessionID)
	if err := sess.Save(r, w); err != nil {
		return nil, err
	}
	if err := h.store.PruneSignIns(r.Context()); err != nil {
		h.log.Warn("prune sign-ins", "err", err)
	}
	return hash, nil
}

// csrfField returns the form's CSRF value, setting the pre-session cookie it is bound to when the browser has
// none.
func (h *Handler) csrfField(w http.ResponseWriter, r *http.Request, purpose string) string {
	pre := ""
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) == 43 {
		pre = c.Value
	} else {
		pre = auth.NewToken()
		http.SetCookie(w, &http.Cookie{Name: preCookie, Value: pre, Path: "/", MaxAge: 3600 * 12,
			HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
	}
	return auth.Bind(h.auth.csrfKey, purpose, pre)
}

// checkCSRF reports whether the form's csrf field belongs to this browser's pre-session cookie.
func (h *Handler) checkCSRF(r *http.Request, purpose string) bool {
	c, err := r.Cookie(preCookie)
	if err != nil {
		return false
	}
	return auth.CheckBind(h.auth.csrfKey, purpose, c.Value, r.PostFormValue("csrf"))
}

// clientKey is the throttle's key for the request's client (after trusted proxies).
func (h *Handler) clientKey(r *http.Request) string {
	return auth.ClientKey(clientOf(r.Context()).Client)
}

// deviceCookie marks a browser that signed in before: its later sign-ins are held to its own address's limit
// only, not to the overall one that failures from many addresses can spend. It holds a random id and its HMAC;
// it opens nothing by itself.
const deviceCookie = "bodystats_device"

// deviceMaxAge keeps the mark for a little over a year.
const deviceMaxAge = 400 * 24 * time.Hour

func (h *Handler) rememberDevice(w http.ResponseWriter, r *http.Request) {
	if h.knownDevice(r) {
		return
	}
	id := auth.NewToken()
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: id + "." + auth.Bind(h.auth.csrfKey, "device", id), Path: "/signin",
		MaxAge: int(deviceMaxAge / time.Second), HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
}

func (h *Handler) knownDevice(r *http.Request) bool {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return false
	}
	id, mac, ok := strings.Cut(c.Value, ".")
	return ok && auth.CheckBind(h.auth.csrfKey, "device", id, mac)
}
