package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/store"
)

// forwarded believes X-Forwarded-For, -Proto and -Host only from a trusted proxy: the client's address goes
// into the context (for the throttle and the log), the forwarded host replaces r.Host so the Host allowlist and
// the cross-origin check see what the browser asked for.
func (h *Handler) forwarded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := h.auth.proxies.Resolve(r)
		r.Host = f.Host
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxClient, f)))
	})
}

// hsts tells browsers to use https only, when the base URL is https (or a trusted proxy says the request came
// over https).
func (h *Handler) hsts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.secure(r) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// publicPath reports whether a path is served without a signed-in session: the health check, sign-in itself,
// static files, the manifest (browsers fetch it without cookies), and the token-authenticated API.
func publicPath(p string) bool {
	switch p {
	case "/healthz", "/signin", "/manifest.webmanifest":
		return true
	}
	return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/api/")
}

// requireSignIn guards every route once a password is set (CONTRACT.md, Sign-in). Pages answer 303 to /signin,
// JSON 401. Beyond loopback with no password yet, only the first-run page is served: no health data to anyone.
// The password is read from the database on each request, so the passwd command takes effect at once.
func (h *Handler) requireSignIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if path == "/healthz" || strings.HasPrefix(path, "/static/") || path == "/manifest.webmanifest" {
			next.ServeHTTP(w, r)
			return
		}
		_, err := h.store.PasswordHash(r.Context())
		switch {
		case errors.Is(err, store.ErrNotFound):
			if !h.auth.exposedRequest(r) || path == "/setup-password" {
				next.ServeHTTP(w, r)
				return
			}
			h.refuse(w, r, "/setup-password")
			return
		case err != nil:
			h.serverError(w, r, err)
			return
		}
		if publicPath(path) {
			next.ServeHTTP(w, r)
			return
		}
		if tok := h.signedIn(w, r); tok != nil {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxSignIn, tok)))
			return
		}
		to := "/signin"
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && path != "/" && safeNext(r.URL.RequestURI()) {
			to += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		h.refuse(w, r, to)
	})
}

// refuse answers a request that needs a sign-in (or a password first): JSON gets 401, a page 303 to where the
// person can act.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, to string) {
	w.Header().Set("Cache-Control", "no-store")
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"sign in first"}` + "\n"))
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// wantsJSON: the JSON routes (/sync/status) and clients that ask for JSON rather than a page.
func wantsJSON(r *http.Request) bool {
	if r.URL.Path == "/sync/status" || strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// touchEvery bounds writes: a session's last use is recorded at most once a minute.
const touchEvery = time.Minute

// signedIn returns the token hash of the request's live sign-in session, or nil. A forged, ended or expired
// cookie is cleared.
func (h *Handler) signedIn(w http.ResponseWriter, r *http.Request) []byte {
	c, err := r.Cookie(authCookie)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return nil
	}
	hash := auth.TokenHash(c.Value)
	s, err := h.store.SignInSession(r.Context(), hash)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrExpired) {
			h.log.Error("sign-in session", "path", r.URL.Path, "err", err)
		}
		h.clearCookie(w, r, authCookie)
		return nil
	}
	if time.Since(s.LastSeen) >= touchEvery || s.LastSeen.After(time.Now()) {
		if err := h.store.TouchSignIn(r.Context(), hash, h.auth.idle); err != nil {
			h.log.Warn("touch sign-in", "err", err)
		}
	}
	return hash
}

func (h *Handler) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.secure(r), SameSite: http.SameSiteLaxMode})
}

// secure reports whether the browser reached the app over https: the base URL says so, or the request came
// over TLS or through a trusted proxy that says so. Then cookies are Secure and HSTS is sent.
func (h *Handler) secure(r *http.Request) bool {
	return h.auth.secure || clientOf(r.Context()).Proto == "https"
}

// safeNext accepts only a local path as the place to return to after signing in: never another site
// (//evil.example, /\evil.example, https://...), so /signin is no open redirect.
func safeNext(s string) bool {
	if s == "" || len(s) > 2048 || s[0] != '/' || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\r\n\t") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && !strings.HasPrefix(u.Path, "//")
}
