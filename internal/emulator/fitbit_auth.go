package emulator

import (
	"crypto/hmac"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// timestampWindow is how far oauth_timestamp may stray from the emulator's clock, and how long a nonce is kept.
const timestampWindow = 300 // seconds

// tokenKind says which credentials an OAuth 1.0a request must be signed with.
type tokenKind int

const (
	noToken     tokenKind = iota // temporary-credential request: consumer secret and an empty token secret
	requestKind                  // token-credential request: the request token's secret
	accessKind                   // protected resource: the access token's secret
)

type nonceKey struct{ consumerKey, token, nonce string }

// signedRequest is what a verified OAuth 1.0a request carries.
type signedRequest struct {
	consumerKey string
	token       string
	params      map[string]string // decoded Authorization header parameters
	userID      string            // for access tokens
}

// principal is the user and client on whose behalf an API request runs.
type principal struct {
	userID      string
	consumerKey string   // or OAuth 2.0 client ID
	scoped      bool     // OAuth 2.0: only scopes are granted; OAuth 1.0a tokens had no scopes and read everything
	scopes      []string // granted, when scoped
}

func (p principal) allows(scope string) bool { return !p.scoped || slices.Contains(p.scopes, scope) }

// authenticate identifies the caller of a Web API request: OAuth 1.0a signed, or an OAuth 2.0 Bearer token
// from Fitbit's token endpoint (Google's tokens are unknown here).
func (e *Emulator) authenticate(r *http.Request) (principal, *apiError) {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	switch {
	case strings.EqualFold(scheme, "OAuth"):
		s, aerr := e.verifyOAuth1(r, accessKind)
		if aerr != nil {
			return principal{}, aerr
		}
		return principal{userID: s.userID, consumerKey: s.consumerKey}, nil
	case strings.EqualFold(scheme, "Bearer"):
		t, st := e.bearer(r, fitbitOAuth2)
		switch st {
		case bearerValid:
			return principal{userID: t.userID, consumerKey: t.clientID, scoped: true, scopes: t.scopes}, nil
		case bearerExpired:
			return principal{}, &apiError{status: http.StatusUnauthorized, errorType: "expired_token",
				message:   "Access token expired. Visit https://dev.fitbit.com/docs/oauth2 for more information.",
				challenge: `Bearer realm="fitbit", error="invalid_token"`}
		}
		return principal{}, &apiError{status: http.StatusUnauthorized, errorType: "invalid_token",
			message:   "Access token invalid. Visit https://dev.fitbit.com/docs/oauth2 for more information.",
			challenge: `Bearer realm="fitbit", error="invalid_token"`}
	default:
		return principal{}, &apiError{status: http.StatusUnauthorized, errorType: "invalid_client",
			fieldName: "Authorization", message: "Authorization header required."}
	}
}

// verifyOAuth1 checks an OAuth 1.0a signed request strictly (RFC 5849 §3.2): header syntax, signature method,
// consumer, token, timestamp window, HMAC-SHA1 signature, and finally the nonce, which is recorded only once the
// signature holds so that nobody without the secrets can burn a client's nonces.
func (e *Emulator) verifyOAuth1(r *http.Request, kind tokenKind) (*signedRequest, *apiError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, errOAuth(http.StatusUnauthorized, "Authorization", "Missing OAuth Authorization header.")
	}
	p, err := parseOAuthHeader(h)
	if err != nil {
		return nil, errOAuth(http.StatusBadRequest, "Authorization", "Malformed OAuth Authorization header.")
	}
	required := []string{"oauth_consumer_key", "oauth_signature_method", "oauth_signature", "oauth_timestamp", "oauth_nonce"}
	if kind != noToken {
		required = append(required, "oauth_token")
	}
	for _, k := range required {
		if p[k] == "" {
			return nil, errOAuth(http.StatusBadRequest, k, "Missing OAuth parameter "+k+".")
		}
	}
	if v, ok := p["oauth_version"]; ok && v != "1.0" {
		return nil, errOAuth(http.StatusBadRequest, "oauth_version", "Unsupported OAuth version; use 1.0.")
	}
	if p["oauth_signature_method"] != "HMAC-SHA1" {
		return nil, errOAuth(http.StatusBadRequest, "oauth_signature_method", "Unsupported signature method; use HMAC-SHA1.")
	}
	ts, err := strconv.ParseInt(p["oauth_timestamp"], 10, 64)
	if err != nil {
		return nil, errOAuth(http.StatusBadRequest, "oauth_timestamp", "The timestamp must be whole seconds since 1970.")
	}

	s := &signedRequest{consumerKey: p["oauth_consumer_key"], token: p["oauth_token"], params: p}
	consumerSecret, tokenSecret, aerr := e.secretsFor(s, kind)
	if aerr != nil {
		return nil, aerr
	}
	now := e.now()
	if d := now.Unix() - ts; d > timestampWindow || d < -timestampWindow {
		return nil, errOAuth(http.StatusUnauthorized, "oauth_timestamp",
			"The timestamp is more than 300 seconds away from the server's clock.")
	}
	want, err := requestSignature(r, p, consumerSecret, tokenSecret)
	if err != nil {
		return nil, errOAuth(http.StatusBadRequest, "oauth_signature", "The request parameters could not be read.")
	}
	if !hmac.Equal([]byte(want), []byte(p["oauth_signature"])) {
		return nil, errOAuth(http.StatusUnauthorized, "oauth_signature", "Invalid signature.")
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	for k, until := range e.nonces {
		if now.After(until) {
			delete(e.nonces, k)
		}
	}
	key := nonceKey{s.consumerKey, s.token, p["oauth_nonce"]}
	if _, seen := e.nonces[key]; seen {
		return nil, errOAuth(http.StatusUnauthorized, "oauth_nonce", "The nonce has already been used.")
	}
	e.nonces[key] = time.Unix(ts+timestampWindow, 0)
	return s, nil
}

// secretsFor looks up the consumer secret and the token secret the request must have been signed with.
func (e *Emulator) secretsFor(s *signedRequest, kind tokenKind) (consumerSecret, tokenSecret string, aerr *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	consumerSecret, ok := e.consumers[s.consumerKey]
	if !ok {
		return "", "", &apiError{status: http.StatusUnauthorized, errorType: "invalid_client",
			fieldName: "oauth_consumer_key", message: "Unknown consumer key."}
	}
	switch kind {
	case requestKind:
		rt, ok := e.requestTokens[s.token]
		if !ok || rt.consumerKey != s.consumerKey || !e.now().Before(rt.expires) {
			return "", "", errOAuth(http.StatusUnauthorized, "oauth_token", "Invalid, used or expired request token.")
		}
		return consumerSecret, rt.secret, nil
	case accessKind:
		at, ok := e.accessTokens[s.token]
		if !ok || at.consumerKey != s.consumerKey {
			return "", "", &apiError{status: http.StatusUnauthorized, errorType: "invalid_token",
				fieldName: "oauth_token", message: "Access token invalid."}
		}
		s.userID = at.userID
		return consumerSecret, at.secret, nil
	}
	return consumerSecret, "", nil
}
