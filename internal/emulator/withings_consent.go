package emulator

import (
	_ "embed"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

//go:embed withings_consent.html
var withingsConsentHTML string

var withingsPages = template.Must(template.Must(template.ParseFS(pageFiles, "consent.html")).Parse(withingsConsentHTML))

// withingsScopes are the scopes a public-API application may ask for; user.info needs a partner contract.
var withingsScopes = map[string]string{
	"user.metrics":     "your body measures: weight, height, fat ratio, fat mass",
	"user.activity":    "your activity",
	"user.sleepevents": "your sleep",
}

// withingsRoutes serves Withings' two hosts: account.withings.com (the consent page) and wbsapi.withings.net
// (the token service and the measure service).
func (e *Emulator) withingsRoutes(mux *http.ServeMux) []string {
	mux.HandleFunc("/oauth2_user/authorize2", e.handleWithingsAuthorize)
	mux.HandleFunc("/v2/oauth2", e.handleWithingsToken)
	mux.HandleFunc("/measure", e.apiCall(e.handleWithingsMeasure))
	return []string{"/oauth2_user/authorize2"}
}

// handleWithingsAuthorize is GET /oauth2_user/authorize2 (the consent page) and its POST (the decision), which
// redirects to the redirect URI with code and state, or error=access_denied.
func (e *Emulator) handleWithingsAuthorize(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		e.showWithingsConsent(w, r)
	case http.MethodPost:
		e.decideWithings(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		renderWithingsPage(w, http.StatusMethodNotAllowed, "withings-error", errorPage{"Method not allowed", "This page answers GET and POST only."})
	}
}

func (e *Emulator) showWithingsConsent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) > 1 {
			withingsAuthError(w, "invalid_request: The parameter "+k+" appears more than once")
			return
		}
	}
	e.mu.Lock()
	c, ok := e.withings.clients[q.Get("client_id")]
	e.mu.Unlock()
	switch {
	case !ok:
		withingsAuthError(w, "invalid_client: The client id provided is invalid")
		return
	case !slices.Contains(c.redirects, q.Get("redirect_uri")):
		withingsAuthError(w, "redirect_uri_mismatch: The redirect URI provided is missing or does not match partner callback url")
		return
	case q.Get("response_type") != "code":
		withingsAuthError(w, "invalid_request: response_type must be code")
		return
	case q.Get("state") == "":
		withingsAuthError(w, "invalid_request: The state parameter is required")
		return
	}
	var scopes []scopeChoice
	for _, s := range strings.Split(q.Get("scope"), ",") {
		label, known := withingsScopes[s]
		if !known {
			withingsAuthError(w, "invalid_scope: The scope "+strconv.Quote(s)+" is not allowed for this application")
			return
		}
		scopes = append(scopes, scopeChoice{Value: s, Label: label})
	}
	id := randomString(16)
	e.mu.Lock()
	now := e.now()
	for k, old := range e.withings.requests {
		if !now.Before(old.expires) {
			delete(e.withings.requests, k)
		}
	}
	e.withings.requests[id] = &authRequest{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"), state: q.Get("state"),
		expires: now.Add(authLifetime)}
	e.mu.Unlock()
	renderWithingsPage(w, http.StatusOK, "withings-consent", oauth2ConsentPage{Client: q.Get("client_id"), User: e.user.DisplayName,
		Destination: destination(q.Get("redirect_uri")), Request: id, Scopes: scopes})
}

func (e *Emulator) decideWithings(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		renderWithingsPage(w, http.StatusBadRequest, "withings-error", errorPage{"Bad request", "The form could not be read."})
		return
	}
	decision := r.PostForm.Get("decision")
	e.mu.Lock()
	ar, ok := e.withings.requests[r.PostForm.Get("request")]
	if ok {
		delete(e.withings.requests, r.PostForm.Get("request"))
		ok = e.now().Before(ar.expires)
	}
	v := url.Values{}
	if ok {
		v.Set("state", ar.state)
		if decision == "allow" {
			code := randomString(20)
			o := e.withings.options(demoTimeZone)
			e.withings.codes[code] = &withingsCode{clientID: ar.clientID, redirectURI: ar.redirectURI, expires: e.now().Add(o.CodeTTL)}
			v.Set("code", code)
		} else {
			v.Set("error", "access_denied")
		}
	}
	e.mu.Unlock()
	if !ok {
		renderWithingsPage(w, http.StatusBadRequest, "withings-error", errorPage{"This request has expired",
			"The authorisation request is unknown, expired or already answered."})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, withQuery(ar.redirectURI, v), http.StatusFound)
}

// withingsAuthError is the consent host's refusal: JSON shown in the browser, never a redirect.
func withingsAuthError(w http.ResponseWriter, msg string) {
	body, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"message": msg}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(body)
}

func renderWithingsPage(w http.ResponseWriter, status int, name string, data any) {
	renderFrom(withingsPages, w, status, name, data)
}
