package emulator

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
)

//go:embed consent.html oauth2_consent.html
var pageFiles embed.FS

// pages holds the consent pages and the error pages; parsed at start-up so a broken template fails every test.
var pages = template.Must(template.New("pages").Funcs(template.FuncMap{"form": newScopeForm}).
	ParseFS(pageFiles, "consent.html", "oauth2_consent.html"))

// scopeForm is what the shared OAuth 2.0 consent form needs: its relative action (the app may serve the page
// under a path prefix) and the page.
type scopeForm struct {
	Action string
	Page   oauth2ConsentPage
}

func newScopeForm(action string, p oauth2ConsentPage) scopeForm { return scopeForm{action, p} }

type consentPage struct {
	Consumer    string // the consumer key: Fitbit showed the registered app name, the emulator knows only the key
	User        string
	Destination string // where the callback goes, without its query
	Token       string // the request token, which the form posts back
}

type errorPage struct{ Title, Message string }

// handleAuthorize is the "www" consent step: GET /oauth/authorize?oauth_token=... shows the page, and
// POST /oauth/authorize (oauth_token, decision=allow|deny) records the decision and redirects to the callback.
// Like the real provider it never redirects on a bad token; it shows an error page instead.
func (e *Emulator) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		e.showConsent(w, r)
	case http.MethodPost:
		e.decide(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		renderPage(w, http.StatusMethodNotAllowed, "error", errorPage{"Method not allowed", "This page answers GET and POST only."})
	}
}

func (e *Emulator) showConsent(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("oauth_token")
	e.mu.Lock()
	rt, ok := e.pendingLocked(token)
	var page consentPage
	if ok {
		page = consentPage{Consumer: rt.consumerKey, User: e.user.DisplayName, Destination: destination(rt.callback), Token: rt.token}
	}
	e.mu.Unlock()
	if !ok {
		renderBadToken(w)
		return
	}
	renderPage(w, http.StatusOK, "consent", page)
}

func (e *Emulator) decide(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		renderPage(w, http.StatusBadRequest, "error", errorPage{"Bad request", "The form could not be read."})
		return
	}
	decision := r.PostForm.Get("decision")
	if decision != "allow" && decision != "deny" {
		renderPage(w, http.StatusBadRequest, "error", errorPage{"Bad request", "Choose Allow or Deny."})
		return
	}
	e.mu.Lock()
	rt, ok := e.pendingLocked(r.PostForm.Get("oauth_token"))
	var extra url.Values
	if ok {
		rt.decided = true
		if decision == "allow" {
			rt.verifier = randomString(16)
			extra = url.Values{"oauth_token": {rt.token}, "oauth_verifier": {rt.verifier}}
		} else {
			delete(e.requestTokens, rt.token) // a denied token is dead: no exchange can follow
			extra = url.Values{"denied": {rt.token}}
		}
	}
	e.mu.Unlock()
	if !ok {
		renderBadToken(w)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, withQuery(rt.callback, extra), http.StatusFound)
}

// pendingLocked returns the request token if it exists, is unexpired and still awaits a decision.
func (e *Emulator) pendingLocked(token string) (*requestToken, bool) {
	rt, ok := e.requestTokens[token]
	if !ok || rt.decided || !e.now().Before(rt.expires) {
		return nil, false
	}
	return rt, true
}

// withQuery adds extra to the callback's query, keeping whatever query the client registered.
func withQuery(callback string, extra url.Values) string {
	u, err := url.Parse(callback) // validated at request_token
	if err != nil {
		return callback
	}
	if u.RawQuery == "" {
		u.RawQuery = extra.Encode()
	} else {
		u.RawQuery += "&" + extra.Encode()
	}
	return u.String()
}

func destination(callback string) string {
	u, err := url.Parse(callback)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

func renderBadToken(w http.ResponseWriter) {
	renderPage(w, http.StatusBadRequest, "error", errorPage{"This request has expired",
		"The authorisation request is unknown, expired or already answered."})
}

// renderPage renders into a buffer first so a template error becomes a clean 500, never half a page.
func renderPage(w http.ResponseWriter, status int, name string, data any) {
	renderFrom(pages, w, status, name, data)
}

// renderFrom executes one of a template set's pages into a buffer, then writes it: a template error is a clean
// 500, never half a page. Each provider's pages are a set cloned from the shared one.
func renderFrom(set *template.Template, w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
