package emulator

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// requestTokenTTL is how long a request token may wait for the user's decision and the exchange.
const requestTokenTTL = 10 * time.Minute

// requestToken is a temporary credential (RFC 5849 §2.1). It lives from request_token until it is denied,
// exchanged or expired; verifier is set once the user allows.
type requestToken struct {
	token, secret string
	consumerKey   string
	callback      string
	expires       time.Time
	decided       bool
	verifier      string
}

// accessToken is a token credential (RFC 5849 §2.3). Fitbit's OAuth 1.0a tokens never expired.
type accessToken struct {
	token, secret string
	consumerKey   string
	userID        string
}

// handleRequestToken issues a request token: POST /oauth/request_token, signed with the consumer secret and an
// empty token secret, carrying oauth_callback (an absolute http or https URL; "oob" is not supported).
func (e *Emulator) handleRequestToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		refuseMethod(w, http.MethodPost)
		return
	}
	s, aerr := e.verifyOAuth1(r, noToken)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	callback := s.params["oauth_callback"]
	if aerr := checkCallback(callback); aerr != nil {
		writeError(w, aerr)
		return
	}
	rt := &requestToken{
		token:       randomString(16),
		secret:      randomString(20),
		consumerKey: s.consumerKey,
		callback:    callback,
		expires:     e.now().Add(requestTokenTTL),
	}
	e.mu.Lock()
	now := e.now()
	for k, old := range e.requestTokens {
		if !now.Before(old.expires) {
			delete(e.requestTokens, k)
		}
	}
	e.requestTokens[rt.token] = rt
	e.mu.Unlock()
	writeForm(w, url.Values{
		"oauth_token":              {rt.token},
		"oauth_token_secret":       {rt.secret},
		"oauth_callback_confirmed": {"true"},
	})
}

func checkCallback(callback string) *apiError {
	switch {
	case callback == "":
		return errOAuth(http.StatusBadRequest, "oauth_callback", "Missing OAuth parameter oauth_callback.")
	case strings.EqualFold(callback, "oob"):
		return errOAuth(http.StatusBadRequest, "oauth_callback",
			"Out-of-band callbacks are not supported; send an absolute http or https URL.")
	}
	u, err := url.Parse(callback)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errOAuth(http.StatusBadRequest, "oauth_callback", "The callback must be an absolute http or https URL.")
	}
	return nil
}

// handleAccessToken exchanges an authorised request token for an access token: POST /oauth/access_token,
// signed with the consumer secret and the request token secret, carrying oauth_token and oauth_verifier.
//
// A request token allows exactly one exchange attempt once its signature checks out: a wrong verifier is
// refused and consumes the token too, so verifiers cannot be guessed by retrying, and a replay of a successful
// exchange finds no token. A request with a bad signature consumes nothing: it proves no knowledge of the secret.
func (e *Emulator) handleAccessToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		refuseMethod(w, http.MethodPost)
		return
	}
	s, aerr := e.verifyOAuth1(r, requestKind)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	verifier := s.params["oauth_verifier"]
	if verifier == "" {
		writeError(w, errOAuth(http.StatusBadRequest, "oauth_verifier", "Missing OAuth parameter oauth_verifier."))
		return
	}
	e.mu.Lock()
	rt, ok := e.requestTokens[s.token]
	if ok {
		delete(e.requestTokens, s.token)
	}
	switch {
	case !ok || rt.consumerKey != s.consumerKey:
		aerr = errOAuth(http.StatusUnauthorized, "oauth_token", "Invalid, used or expired request token.")
	case !rt.decided:
		aerr = errOAuth(http.StatusUnauthorized, "oauth_token", "The request token has not been authorised.")
	case subtle.ConstantTimeCompare([]byte(rt.verifier), []byte(verifier)) != 1:
		aerr = errOAuth(http.StatusUnauthorized, "oauth_verifier", "Invalid verifier.")
	}
	var token, secret string
	if aerr == nil {
		token, secret = e.issueAccessTokenLocked(s.consumerKey)
	}
	e.mu.Unlock()
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeForm(w, url.Values{
		"oauth_token":        {token},
		"oauth_token_secret": {secret},
		"encoded_user_id":    {e.user.EncodedID},
	})
}

// writeForm answers a token endpoint. Order is fixed (token, secret, then the rest) for readable captures.
func writeForm(w http.ResponseWriter, v url.Values) {
	var b strings.Builder
	for _, k := range []string{"oauth_token", "oauth_token_secret", "oauth_callback_confirmed", "encoded_user_id"} {
		if val, ok := v[k]; ok {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(val[0]))
		}
	}
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(b.String()))
}
