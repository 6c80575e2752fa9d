package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Scopes each authorization server knows, with what its consent page says about them. The emulator serves
// data for weight and profile (Fitbit) and the health-metrics, profile and settings scopes (Google) only.
var (
	fitbitScopes = map[string]string{
		"weight":  "your weight, BMI and body fat history",
		"profile": "your profile (name, height, time zone)",

		"activity": "activity", "cardio_fitness": "cardio fitness", "electrocardiogram": "ECG",
		"heartrate": "heart rate", "location": "location", "nutrition": "nutrition",
		"oxygen_saturation": "oxygen saturation", "respiratory_rate": "respiratory rate",
		"settings": "settings", "sleep": "sleep", "social": "friends", "temperature": "temperature",
	}
	googleScopes = map[string]string{
		scopeHealthMetrics:  "See your Google Health health metrics and measurement data (weight, body fat)",
		scopeHealthProfile:  "See your Google Health profile data (age, membership)",
		scopeHealthSettings: "See your Google Health settings (time zone, units)",
		googleScopePrefix + "activity_and_fitness.readonly": "See your Google Health activity and fitness data",
		googleScopePrefix + "sleep.readonly":                "See your Google Health sleep data",
		googleScopePrefix + "nutrition.readonly":            "See your Google Health nutrition data",
	}
)

const (
	googleScopePrefix   = "https://www.googleapis.com/auth/googlehealth."
	scopeHealthMetrics  = googleScopePrefix + "health_metrics_and_measurements.readonly"
	scopeHealthProfile  = googleScopePrefix + "profile.readonly"
	scopeHealthSettings = googleScopePrefix + "settings.readonly"
)

type scopeChoice struct{ Value, Label string }

// oauth2ConsentPage is the data of both OAuth 2.0 consent pages. The form posts the pending request's
// handle, one checkbox per requested scope, and scopes_shown, which tells an unticked-everything post apart
// from a scripted one that sends no checkboxes at all.
type oauth2ConsentPage struct {
	Client      string // the client ID: the emulator knows no app names
	User        string
	Destination string // redirect URI without its query
	Request     string
	Scopes      []scopeChoice
}

// handleFitbitAuthorize is Fitbit's OAuth 2.0 consent step: GET /oauth2/authorize shows the page, POST
// /oauth2/authorize records the decision and redirects with code and state (or error=access_denied).
func (e *Emulator) handleFitbitAuthorize(w http.ResponseWriter, r *http.Request) {
	e.authorizeOAuth2(w, r, fitbitOAuth2)
}

// handleGoogleAuthorize is Google's consent step: GET and POST /o/oauth2/v2/auth, as Fitbit's but the
// redirect also carries the granted scope.
func (e *Emulator) handleGoogleAuthorize(w http.ResponseWriter, r *http.Request) {
	e.authorizeOAuth2(w, r, googleOAuth2)
}

func (e *Emulator) authorizeOAuth2(w http.ResponseWriter, r *http.Request, p provider) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		ar, bad := e.parseAuthorize(r.URL.Query(), p)
		if bad != nil {
			renderProviderPage(w, p, http.StatusBadRequest, "error", *bad)
			return
		}
		e.showOAuth2Consent(w, ar)
	case http.MethodPost:
		e.decideOAuth2(w, r, p)
	default:
		w.Header().Set("Allow", "GET, POST")
		renderProviderPage(w, p, http.StatusMethodNotAllowed, "error", errorPage{"Method not allowed", "This page answers GET and POST only."})
	}
}

// parseAuthorize checks an authorize request strictly. Like both real servers it never redirects a bad
// request: the redirect URI is not trusted until the request is whole.
func (e *Emulator) parseAuthorize(q url.Values, p provider) (*authRequest, *errorPage) {
	bad := func(title, msg string) (*authRequest, *errorPage) { return nil, &errorPage{title, msg} }
	for k, v := range q {
		if len(v) > 1 {
			return bad("Error 400: invalid_request", "The parameter "+k+" appears more than once.")
		}
	}
	e.mu.Lock()
	c, ok := e.oauth2.clients[q.Get("client_id")]
	e.mu.Unlock()
	if !ok {
		return bad("Error 401: invalid_client", "The OAuth client was not found.")
	}
	if q.Get("redirect_uri") != c.redirectURI {
		return bad("Error 400: redirect_uri_mismatch", "The redirect_uri does not match the one registered for this client.")
	}
	if q.Get("response_type") != "code" {
		return bad("Error 400: unsupported_response_type", "Only response_type=code is supported.")
	}
	known := fitbitScopes
	if p == googleOAuth2 {
		known = googleScopes
	}
	var scopes []string
	for _, s := range strings.Fields(q.Get("scope")) {
		if _, ok := known[s]; !ok {
			return bad("Error 400: invalid_scope", "The requested scope "+s+" is not valid.")
		}
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	if len(scopes) == 0 {
		return bad("Error 400: invalid_scope", "Missing required parameter: scope.")
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case challenge == "":
		return bad("Error 400: invalid_request", "Missing code_challenge: this server requires PKCE.")
	case method != "S256":
		return bad("Error 400: invalid_request", "Unsupported code_challenge_method; use S256.")
	case !validPKCE(challenge):
		return bad("Error 400: invalid_request", "The code_challenge parameter length must be between 43 and 128.")
	}
	ar := &authRequest{provider: p, clientID: q.Get("client_id"), redirectURI: c.redirectURI, state: q.Get("state"),
		challenge: challenge, scopes: scopes}
	if p == googleOAuth2 {
		switch q.Get("access_type") {
		case "", "online":
		case "offline":
			ar.offline = true
		default:
			return bad("Error 400: invalid_request", "Invalid access_type: use online or offline.")
		}
	}
	for _, v := range strings.Fields(q.Get("prompt")) {
		if !slices.Contains([]string{"none", "consent", "login", "select_account"}, v) {
			return bad("Error 400: invalid_request", "Invalid prompt: "+v+".")
		}
	}
	return ar, nil
}

func (e *Emulator) showOAuth2Consent(w http.ResponseWriter, ar *authRequest) {
	id := randomString(16)
	e.mu.Lock()
	now := e.now()
	for k, old := range e.oauth2.requests {
		if !now.Before(old.expires) {
			delete(e.oauth2.requests, k)
		}
	}
	ar.expires = now.Add(authLifetime)
	e.oauth2.requests[id] = ar
	e.mu.Unlock()

	page := oauth2ConsentPage{Client: ar.clientID, User: e.user.DisplayName, Destination: destination(ar.redirectURI), Request: id}
	labels := fitbitScopes
	if ar.provider == googleOAuth2 {
		labels = googleScopes
	}
	for _, s := range ar.scopes {
		page.Scopes = append(page.Scopes, scopeChoice{Value: s, Label: labels[s]})
	}
	renderProviderPage(w, ar.provider, http.StatusOK, "consent", page)
}

// decideOAuth2 answers the consent form: request, decision=allow|deny, and the ticked scope checkboxes. A
// post without scopes_shown and without any scope (a test skipping the page) grants every requested scope.
func (e *Emulator) decideOAuth2(w http.ResponseWriter, r *http.Request, p provider) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		renderProviderPage(w, p, http.StatusBadRequest, "error", errorPage{"Bad request", "The form could not be read."})
		return
	}
	decision := r.PostForm.Get("decision")
	if decision != "allow" && decision != "deny" {
		renderProviderPage(w, p, http.StatusBadRequest, "error", errorPage{"Bad request", "Choose Allow or Deny."})
		return
	}
	id := r.PostForm.Get("request")
	e.mu.Lock()
	ar, ok := e.oauth2.requests[id]
	if ok && (ar.provider != p || !e.now().Before(ar.expires)) {
		ok = false
	}
	var extra url.Values
	if ok {
		delete(e.oauth2.requests, id)
		extra = e.decideLocked(ar, decision, r.PostForm)
	}
	e.mu.Unlock()
	if !ok {
		renderProviderPage(w, p, http.StatusBadRequest, "error", errorPage{"This request has expired",
			"The authorisation request is unknown, expired or already answered."})
		return
	}
	target := withQuery(ar.redirectURI, extra)
	if p == fitbitOAuth2 {
		target += "#_=_" // Fitbit's redirect fragment; browsers keep it to themselves
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusFound)
}

// decideLocked records the decision and returns the redirect's query.
func (e *Emulator) decideLocked(ar *authRequest, decision string, form url.Values) url.Values {
	v := url.Values{}
	if ar.state != "" {
		v.Set("state", ar.state)
	}
	if decision == "deny" {
		v.Set("error", "access_denied")
		return v
	}
	granted := ar.scopes
	if _, shown := form["scopes_shown"]; shown || len(form["scope"]) > 0 {
		granted = nil
		for _, s := range ar.scopes {
			if slices.Contains(form["scope"], s) {
				granted = append(granted, s)
			}
		}
	}
	code := randomString(20)
	e.oauth2.codes[code] = &authCode{provider: ar.provider, clientID: ar.clientID, redirectURI: ar.redirectURI,
		challenge: ar.challenge, scopes: granted, offline: ar.offline, expires: e.now().Add(authLifetime)}
	v.Set("code", code)
	if ar.provider == googleOAuth2 {
		v.Set("scope", strings.Join(granted, " "))
	}
	return v
}

// validPKCE reports whether s is a syntactically valid PKCE verifier or challenge (RFC 7636 §4.1).
func validPKCE(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)) {
			return false
		}
	}
	return true
}

// renderProviderPage renders Fitbit's or Google's variant of a page ("consent" or "error").
func renderProviderPage(w http.ResponseWriter, p provider, status int, name string, data any) {
	if p == googleOAuth2 {
		name = "google-" + name
	} else if name == "consent" {
		name = "fitbit2-consent"
	}
	renderPage(w, status, name, data)
}
