package handlers

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// statusWriter remembers the status a handler wrote, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs each request's method, path, status and duration. Never the query string: the callback's
// query carries OAuth verifiers and codes.
func (h *Handler) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		h.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start).Round(time.Microsecond))
	})
}

// recoverer turns a panic into the error page instead of a dropped connection.
func (h *Handler) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				h.log.Error("panic", "path", r.URL.Path, "value", v)
				h.serverError(w, r, nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every answer carries. The callback URL holds verifiers and codes, so no
// Referer may leak it to another site.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// DemoConsentPrefix is where the demo emulator's consent pages are served in demo mode, for every provider it emulates.
const DemoConsentPrefix = "/demo"

// demoConsentHeaders gives the emulator's consent page, which is the provider's page and not the app's, a policy
// of its own: its inline style is allowed, nothing else is loaded, and its form posts only to itself.
func demoConsentHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// maxFormBody bounds every request body but an upload's: the app's forms are a few hundred bytes.
const maxFormBody = 64 << 10

// limitBodies caps request bodies; /import sets its own, larger limit.
func limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.URL.Path != "/import" {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		}
		next.ServeHTTP(w, r)
	})
}

// allowHosts refuses requests that name a host the app does not answer to. A web page on another site cannot
// reach the app through DNS rebinding: its requests carry that site's host name.
func (h *Handler) allowHosts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if hh, _, err := net.SplitHostPort(host); err == nil {
			host = hh
		}
		if !h.hosts[strings.ToLower(strings.Trim(host, "[]"))] {
			h.fail(w, r, http.StatusMisdirectedRequest, problem{Heading: "Wrong address", Message: "bodystats does not answer to this host name. Open it at its own address, such as http://localhost:8080."}, nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests sent by other sites (CSRF), using the browser's Sec-Fetch-Site
// and Origin headers; GET, HEAD and OPTIONS always pass.
func (h *Handler) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, http.StatusForbidden, problem{Heading: "Refused", Message: "Another web site tried to act on bodystats on your behalf, so the request was refused."}, nil)
	}))
	return cop.Handler(next)
}
