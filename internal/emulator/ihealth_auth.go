package emulator

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ihealthAuthPath is iHealth's one OAuth URL.
const ihealthAuthPath = "/OpenApiV2/OAuthv2/userauthorization/"

// ihealthAPIs are the APIName values iHealth knows.
var ihealthAPIs = []string{"OpenApiWeight", "OpenApiBP", "OpenApiBG", "OpenApiSpO2", "OpenApiActivity", "OpenApiSleep",
	"OpenApiUserInfo", "OpenApiFood", "OpenApiSport", "OpenApiT", "OpenApiHR"}

// ihealthRoutes serves iHealth's host: the OAuth URL, which dispatches on its parameters, and weight.json (path
// case does not matter at iHealth, with or without the trailing slash).
func (e *Emulator) ihealthRoutes(mux *http.ServeMux) []string {
	if e.ih == nil {
		e.ih = newIHealthState()
	}
	mux.HandleFunc(ihealthAuthPath, e.handleIHealthAuth)
	mux.HandleFunc("/openapiv2/user/", e.handleIHealthWeight)
	mux.HandleFunc("/OpenApiV2/user/", e.handleIHealthWeight)
	return []string{ihealthAuthPath}
}

// ihealthError is iHealth's error body. ErrorCode is a number or, for the hourly limit, a string.
type ihealthError struct {
	BackValue        string `json:"BackValue,omitempty"`
	ClientPara       string `json:"Client_Para,omitempty"`
	Error            string `json:"Error"`
	ErrorCode        any    `json:"ErrorCode"`
	ErrorDescription string `json:"ErrorDescription"`
}

func (e *Emulator) writeIHealthError(w http.ResponseWriter, name string, code any, desc string) {
	e.ih.mu.Lock()
	status := e.ih.opts.ErrorStatus
	e.ih.mu.Unlock()
	if status == 0 {
		status = http.StatusOK
	}
	writeJSON(w, status, ihealthError{Error: name, ErrorCode: code, ErrorDescription: desc})
}

// handleIHealthAuth dispatches the OAuth URL: response_type=code is the consent page (GET) and the person's
// decision (POST), grant_type=authorization_code the code exchange, response_type=refresh_token the refresh.
func (e *Emulator) handleIHealthAuth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && r.URL.RawQuery == "":
		e.ihealthDecide(w, r)
	case q.Get("response_type") == "code" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		e.ihealthConsent(w, r, q)
	case r.Method != http.MethodGet:
		e.countRefused()
		e.writeIHealthError(w, "invalid_request", 4000, "The token calls answer GET with their parameters in the query.")
	case q.Get("grant_type") == "authorization_code":
		e.ihealthExchange(w, r, q)
	case q.Get("response_type") == "refresh_token" && q.Get("grant_type") == "":
		e.ihealthRefresh(w, r, q)
	default:
		e.countRefused()
		e.writeIHealthError(w, "invalid_request", 4000, "Unknown request.")
	}
}

func (e *Emulator) countRefused() {
	e.ih.mu.Lock()
	e.ih.refused++
	e.ih.mu.Unlock()
}

// redirectAllowed: the redirect URI must have the registered scheme, host and path exactly (trailing slash
// included); it may add query parameters.
func redirectAllowed(registered, got string) bool {
	ru, err1 := url.Parse(registered)
	gu, err2 := url.Parse(got)
	return err1 == nil && err2 == nil && gu.Fragment == "" && ru.Scheme == gu.Scheme && ru.Host == gu.Host &&
		ru.EscapedPath() == gu.EscapedPath()
}

type ihealthConsentPage struct {
	Client, User, Destination, Request string
	APIs                               []string
}

// ihealthConsent shows the consent page, or an error page (never a redirect) for a bad client or redirect URI.
func (e *Emulator) ihealthConsent(w http.ResponseWriter, r *http.Request, q url.Values) {
	s := e.ih
	s.mu.Lock()
	c, ok := s.clients[q.Get("client_id")]
	s.mu.Unlock()
	if !ok {
		renderPage(w, http.StatusBadRequest, "error", errorPage{"unauthorized_client", "This application is not registered with iHealth."})
		return
	}
	redirect := q.Get("redirect_uri")
	if !redirectAllowed(c.redirect, redirect) {
		renderPage(w, http.StatusBadRequest, "error", errorPage{"redirect_uri_mismatch", "The redirect_uri does not match the one registered for this application."})
		return
	}
	apis := strings.Fields(q.Get("APIName"))
	required := strings.Fields(q.Get("RequiredAPIName"))
	if len(apis) == 0 {
		renderPage(w, http.StatusBadRequest, "error", errorPage{"invalid_APIName", "APIName is missing."})
		return
	}
	for _, a := range append(slices.Clone(apis), required...) {
		if !slices.Contains(ihealthAPIs, a) || (slices.Contains(required, a) && !slices.Contains(apis, a)) {
			renderPage(w, http.StatusBadRequest, "error", errorPage{"invalid_APIName", "An APIName is not known, or a required one is not asked for."})
			return
		}
	}
	handle := randomString(16)
	s.mu.Lock()
	s.requests[handle] = &ihealthCode{clientID: q.Get("client_id"), redirect: redirect, apis: apis, expires: e.now().Add(10 * time.Minute)}
	s.mu.Unlock()
	renderIHealthPage(w, http.StatusOK, "ihealth_consent", ihealthConsentPage{
		Client: q.Get("client_id"), User: e.user.DisplayName, Destination: destination(redirect), Request: handle, APIs: apis,
	})
}

// ihealthDecide records the decision and redirects to the redirect URI as given, with code (or error) added.
func (e *Emulator) ihealthDecide(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderPage(w, http.StatusBadRequest, "error", errorPage{"Bad request", "The form could not be read."})
		return
	}
	s := e.ih
	s.mu.Lock()
	req, ok := s.requests[r.PostForm.Get("request")]
	delete(s.requests, r.PostForm.Get("request"))
	now := e.now()
	if !ok || !now.Before(req.expires) {
		s.mu.Unlock()
		renderBadToken(w)
		return
	}
	extra := url.Values{}
	if r.PostForm.Get("decision") == "allow" {
		code := randomString(32) // about 64 characters, as iHealth's
		s.codes[code] = &ihealthCode{clientID: req.clientID, redirect: req.redirect, apis: req.apis, expires: now.Add(10 * time.Minute)}
		extra.Set("code", code)
	} else {
		extra.Set("error", "access_denied")
		extra.Set("error_description", "The user denied access.")
	}
	s.mu.Unlock()
	http.Redirect(w, r, withQuery(req.redirect, extra), http.StatusFound)
}

// ihealthApp checks client_id and client_secret; it writes the refusal and returns false when they fail.
func (e *Emulator) ihealthApp(w http.ResponseWriter, q url.Values) (ihealthClient, bool) {
	s := e.ih
	s.mu.Lock()
	c, ok := s.clients[q.Get("client_id")]
	s.mu.Unlock()
	switch {
	case !ok:
		e.countRefused()
		e.writeIHealthError(w, "unauthorized_client", 2001, "The client is not authorized.")
		return c, false
	case subtle.ConstantTimeCompare([]byte(c.secret), []byte(q.Get("client_secret"))) != 1:
		e.countRefused()
		e.writeIHealthError(w, "client_secret_mismatch", 1002, "The client secret does not match.")
		return c, false
	}
	return c, true
}

// ihealthExchange trades a code, once, for tokens; the redirect URI must be the one the consent page was given,
// byte for byte.
func (e *Emulator) ihealthExchange(w http.ResponseWriter, r *http.Request, q url.Values) {
	if _, ok := e.ihealthApp(w, q); !ok {
		return
	}
	s := e.ih
	s.mu.Lock()
	code, ok := s.codes[q.Get("code")]
	delete(s.codes, q.Get("code")) // single use, even when the rest is wrong
	now := e.now()
	switch {
	case !ok || code.clientID != q.Get("client_id") || !now.Before(code.expires):
		s.refused++
		s.mu.Unlock()
		e.writeIHealthError(w, "is_not_authorized", 2, "The code is invalid, used or expired.")
		return
	case code.redirect != q.Get("redirect_uri"):
		s.refused++
		s.mu.Unlock()
		e.writeIHealthError(w, "redirect_uri_mismatch", 1001, "The redirect_uri does not match.")
		return
	}
	s.exchanges++
	body := e.ihealthIssueLocked(r, code.clientID, code.apis, "")
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// ihealthRefresh trades a refresh token for a new access token; with Rotate the refresh token changes too.
func (e *Emulator) ihealthRefresh(w http.ResponseWriter, r *http.Request, q url.Values) {
	c, ok := e.ihealthApp(w, q)
	if !ok {
		return
	}
	if ru := q.Get("redirect_uri"); ru != "" && !redirectAllowed(c.redirect, ru) {
		e.countRefused()
		e.writeIHealthError(w, "redirect_uri_mismatch", 1001, "The redirect_uri does not match.")
		return
	}
	s := e.ih
	s.mu.Lock()
	old := q.Get("refresh_token")
	t, ok := s.refresh[old]
	if !ok || t.clientID != q.Get("client_id") {
		s.refused++
		s.mu.Unlock()
		e.writeIHealthError(w, "unauthorized_token", 2002, "The refresh token is invalid.")
		return
	}
	s.refreshes++
	keep := old
	if s.opts.Rotate {
		delete(s.refresh, old)
		keep = ""
	}
	body := e.ihealthIssueLocked(r, t.clientID, t.apis, keep)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// ihealthTokenAnswer has iHealth's keys, in their own casing.
type ihealthTokenAnswer struct {
	APIName             string `json:"APIName"`
	AccessToken         string `json:"AccessToken"`
	Expires             int64  `json:"Expires"`
	RefreshToken        string `json:"RefreshToken,omitempty"`
	RefreshTokenExpires int64  `json:"RefreshTokenExpires"`
	UUID                string `json:"UUID"`
	UserID              string `json:"UserID"`
	UserOpenID          string `json:"UserOpenID"`
	UserRegion          string `json:"UserRegion"`
	ClientPara          string `json:"client_para"`
	TokenType           string `json:"token_type"`
}

// ihealthIssueLocked mints an access token (and a refresh token, unless keep names the one that stays).
// Token strings carry '*' and '-', as iHealth's do, so clients must encode them.
func (e *Emulator) ihealthIssueLocked(r *http.Request, clientID string, apis []string, keep string) ihealthTokenAnswer {
	s := e.ih
	ttl := s.opts.AccessTTL
	if ttl <= 0 {
		ttl = 3672000 * time.Second
	}
	access := "AT*" + randomString(12) + "-" + randomString(12)
	s.access[access] = &ihealthToken{clientID: clientID, apis: apis, expires: e.now().Add(ttl)}
	refresh := keep
	if refresh == "" {
		refresh = "RT*" + randomString(12) + "-" + randomString(12)
		s.refresh[refresh] = &ihealthToken{clientID: clientID, apis: apis}
	}
	region := s.opts.Region
	if region == "" {
		region = requestOrigin(r)
	}
	a := ihealthTokenAnswer{
		APIName: strings.Join(apis, " "), AccessToken: access, Expires: int64(ttl / time.Second),
		RefreshToken: refresh, RefreshTokenExpires: 31536000, UserID: demoIHealthUserID, UserOpenID: demoIHealthUserID,
		UserRegion: region, ClientPara: "", TokenType: "bearer",
	}
	if keep != "" && s.opts.OmitRefreshToken {
		a.RefreshToken = ""
	}
	return a
}

func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
