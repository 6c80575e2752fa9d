package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"math"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// withingsReply is an answer in Withings' envelope, always HTTP 200: only status 0 carries a body.
type withingsReply struct {
	Status int    `json:"status"`
	Body   any    `json:"body"`
	Error  string `json:"error,omitempty"`
	cut    bool   // a fault: send the first half of the answer only
}

func withingsFail(status int, msg string) withingsReply {
	return withingsReply{Status: status, Body: struct{}{}, Error: msg}
}

func withingsWait(secs int, msg string) withingsReply {
	return withingsReply{Status: 601, Body: map[string]int{"wait_seconds": max(secs, 1)}, Error: msg}
}

func writeWithings(w http.ResponseWriter, reply withingsReply) {
	body, err := json.Marshal(reply)
	if err != nil {
		body = []byte(`{"status":2555,"body":{},"error":"An unknown error occurred"}`)
	}
	if reply.cut {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// handleWithingsToken is POST /v2/oauth2 action=requesttoken: the code exchange and the refresh, client_id and
// client_secret in the form body, parameters in the body only, every answer an envelope.
func (e *Emulator) handleWithingsToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	reply, form := e.withingsToken(w, r)
	e.mu.Lock()
	s := e.withings
	switch {
	case reply.Status == 0 && form.Get("grant_type") == "refresh_token":
		s.refreshes++
	case reply.Status == 0:
		s.codeExchanges++
	case reply.Status == 503:
		s.refusals++
	case reply.Status == 601:
		s.rateLimited++
	}
	s.log = append(s.log, WithingsCall{Path: r.URL.Path, Action: form.Get("action"), Params: loggable(form), Status: reply.Status, At: e.now()})
	e.mu.Unlock()
	writeWithings(w, reply)
}

func (e *Emulator) withingsToken(w http.ResponseWriter, r *http.Request) (withingsReply, url.Values) {
	if r.Method != http.MethodPost {
		return withingsFail(2554, "Not implemented: use POST"), url.Values{}
	}
	if r.URL.RawQuery != "" {
		return withingsFail(503, "Invalid Params: invalid grant_type"), url.Values{} // parameters in the query are not read
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return withingsFail(503, "Invalid Params: invalid grant_type"), url.Values{}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return withingsFail(503, "Invalid Params: the body could not be read"), url.Values{}
	}
	form := r.PostForm
	for k, v := range form {
		if len(v) > 1 {
			return withingsFail(503, "Invalid Params: "+k+" appears more than once"), form
		}
	}
	if a := form.Get("action"); a != "requesttoken" {
		return withingsFail(2554, "Not implemented: unknown action"), form
	}
	clientID := form.Get("client_id")
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.withings
	c, ok := s.clients[clientID]
	if !ok || subtle.ConstantTimeCompare([]byte(c.secret), []byte(form.Get("client_secret"))) != 1 {
		return withingsFail(503, "Invalid Params: invalid client_id or client_secret"), form
	}
	if wait, ok := e.takeWithingsRateLocked(clientID); !ok {
		return withingsWait(wait, "Too many request"), form
	}
	o := s.options(demoTimeZone)
	now := e.now()
	sum := sha256.Sum256([]byte(form.Encode()))
	key := hex.EncodeToString(sum[:])
	for k, at := range s.recent {
		if now.Sub(at) >= o.DedupeWindow {
			delete(s.recent, k)
		}
	}
	if at, seen := s.recent[key]; seen {
		return withingsWait(int(math.Ceil((o.DedupeWindow - now.Sub(at)).Seconds())), "Same arguments in less than 10 seconds"), form
	}
	s.recent[key] = now
	switch form.Get("grant_type") {
	case "authorization_code":
		return e.withingsExchangeLocked(form, clientID, o), form
	case "refresh_token":
		return e.withingsRefreshLocked(form, clientID, o), form
	}
	return withingsFail(503, "Invalid Params: invalid grant_type"), form
}

// withingsExchangeLocked spends the code whatever follows, once its own client presents it.
func (e *Emulator) withingsExchangeLocked(form url.Values, clientID string, o WithingsOptions) withingsReply {
	s := e.withings
	code, ok := s.codes[form.Get("code")]
	if !ok || code.clientID != clientID {
		return withingsFail(503, "Invalid Params: invalid code")
	}
	delete(s.codes, form.Get("code"))
	switch {
	case !e.now().Before(code.expires):
		return withingsFail(503, "Invalid Params: invalid code")
	case form.Get("redirect_uri") != code.redirectURI:
		return withingsFail(503, "Invalid Params: invalid redirect_uri")
	}
	return e.withingsIssueLocked(clientID, o)
}

// withingsRefreshLocked rotates the pair. The presented refresh token keeps working for the grace period, or
// until an access token issued from it is first used, whichever comes first.
func (e *Emulator) withingsRefreshLocked(form url.Values, clientID string, o WithingsOptions) withingsReply {
	s := e.withings
	now := e.now()
	rt, ok := s.refresh[form.Get("refresh_token")]
	if ok && !rt.deadline.IsZero() && !now.Before(rt.deadline) {
		delete(s.refresh, form.Get("refresh_token"))
		ok = false
	}
	if !ok || rt.clientID != clientID {
		return withingsFail(503, "Invalid Params: invalid refresh_token")
	}
	reply := e.withingsIssueLocked(clientID, o)
	if rt.deadline.IsZero() {
		rt.deadline = now.Add(o.RefreshGrace)
	}
	rt.successors = append(rt.successors, reply.Body.(withingsTokenBody).AccessToken)
	return reply
}

type withingsTokenBody struct {
	UserID       any    `json:"userid"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
	CSRFToken    string `json:"csrf_token"`
	TokenType    string `json:"token_type"`
}

func (e *Emulator) withingsIssueLocked(clientID string, o WithingsOptions) withingsReply {
	s := e.withings
	now := e.now()
	for k, t := range s.access {
		if !now.Before(t.expires.Add(time.Hour)) {
			delete(s.access, k)
		}
	}
	access, refresh := randomString(20), randomString(20)
	s.access[access] = &withingsAccess{clientID: clientID, expires: now.Add(o.AccessTTL)}
	s.refresh[refresh] = &withingsRefresh{clientID: clientID, access: access}
	var uid any = withingsUserID
	if o.UserIDString {
		uid = strconv.Itoa(withingsUserID)
	}
	return withingsReply{Body: withingsTokenBody{UserID: uid, AccessToken: access, RefreshToken: refresh,
		ExpiresIn: int(o.AccessTTL / time.Second), Scope: "user.metrics", CSRFToken: randomString(16), TokenType: "Bearer"}}
}

// useWithingsAccessLocked checks a Bearer token. Its first use ends the refresh tokens it was issued from, and
// the access tokens issued with those.
func (e *Emulator) useWithingsAccessLocked(token string) (*withingsAccess, int, string) {
	s := e.withings
	t, ok := s.access[token]
	switch {
	case !ok:
		return nil, 401, "XRequestID: Not provided invalid_token: The access token provided is invalid"
	case !e.now().Before(t.expires):
		return nil, 401, "XRequestID: Not provided invalid_token: The access token provided is invalid"
	}
	if !t.used {
		t.used = true
		for k, rt := range s.refresh {
			if slices.Contains(rt.successors, token) {
				delete(s.refresh, k)
				delete(s.access, rt.access) // the old access token's fate is undocumented: it dies here
			}
		}
	}
	return t, 0, ""
}

// takeWithingsRateLocked charges one request to the client's minute; wait is the seconds left when refused.
func (e *Emulator) takeWithingsRateLocked(clientID string) (wait int, ok bool) {
	s := e.withings
	now := e.now()
	w := s.rates[clientID]
	if w == nil || !now.Before(w.start.Add(time.Minute)) {
		w = &rateWindow{start: now}
		s.rates[clientID] = w
	}
	if w.used >= s.options(demoTimeZone).RateLimit {
		return int(math.Ceil(w.start.Add(time.Minute).Sub(now).Seconds())), false
	}
	w.used++
	return 0, true
}

// loggable keeps a request's parameters that hold no secret.
func loggable(form url.Values) map[string]string {
	out := map[string]string{}
	for k := range form {
		switch k {
		case "client_secret", "code", "refresh_token", "access_token":
			out[k] = "(redacted)"
		default:
			out[k] = form.Get(k)
		}
	}
	return out
}
