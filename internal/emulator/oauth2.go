package emulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// authLifetime is how long a consent request and an authorization code live (Fitbit documents 10 minutes
// for codes; Google's are shorter in practice but no client may depend on either).
const authLifetime = 10 * time.Minute

// provider says which authorization server issued a request, code or token: they never mix.
type provider int

const (
	fitbitOAuth2 provider = iota + 1
	googleOAuth2
)

// oauth2Client is a registered OAuth 2.0 client, known to both authorization servers.
type oauth2Client struct {
	secret      string
	redirectURI string
}

// authRequest is a validated authorize request awaiting the person's decision on the consent page.
type authRequest struct {
	provider    provider
	clientID    string
	redirectURI string
	state       string
	challenge   string
	scopes      []string // requested, in request order
	offline     bool     // Google access_type=offline
	expires     time.Time
}

// authCode is an authorization code: single use, bound to its client, redirect URI and PKCE challenge.
type authCode struct {
	provider    provider
	clientID    string
	redirectURI string
	challenge   string
	scopes      []string // granted
	offline     bool
	expires     time.Time
}

// bearerToken is an OAuth 2.0 access token.
type bearerToken struct {
	provider provider
	clientID string
	userID   string
	scopes   []string
	expires  time.Time
}

// refreshToken never expires; Fitbit's are single use and one per user and client, Google's are reusable.
type refreshToken struct {
	provider provider
	clientID string
	userID   string
	scopes   []string
}

type oauth2State struct {
	clients  map[string]oauth2Client
	requests map[string]*authRequest
	codes    map[string]*authCode
	access   map[string]*bearerToken
	refresh  map[string]*refreshToken

	codeExchanges, refreshes, invalidGrants int
}

func newOAuth2State() oauth2State {
	return oauth2State{
		clients:  map[string]oauth2Client{},
		requests: map[string]*authRequest{},
		codes:    map[string]*authCode{},
		access:   map[string]*bearerToken{},
		refresh:  map[string]*refreshToken{},
	}
}

// AddOAuth2Client registers an OAuth 2.0 client with its one redirect URI, for Fitbit's and Google's
// authorization servers alike. Requests from unknown client IDs, or for any other redirect URI, are refused.
func (e *Emulator) AddOAuth2Client(id, secret, redirectURI string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.oauth2.clients[id] = oauth2Client{secret: secret, redirectURI: redirectURI}
}

// RevokeRefreshTokens kills every OAuth 2.0 refresh token of every client, as a person revoking access or a
// password change does: the next refresh gets invalid_grant. Every OAuth 2.0 access token dies with them.
// OAuth 1.0a tokens are not affected.
func (e *Emulator) RevokeRefreshTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	clear(e.oauth2.refresh)
	clear(e.oauth2.access)
}

// ExpireAccessTokens makes every current OAuth 2.0 access token expired now, so the next API call with one
// gets Fitbit's expired_token or Google's UNAUTHENTICATED and the client must refresh.
func (e *Emulator) ExpireAccessTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	for _, t := range e.oauth2.access {
		t.expires = now
	}
}

// TokenRequests counts calls to both token endpoints (/oauth2/token and /token) by outcome: successful code
// exchanges, successful refreshes, and refusals with invalid_grant. Other refusals are not counted.
func (e *Emulator) TokenRequests() (codeExchanges, refreshes, invalidGrants int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.oauth2.codeExchanges, e.oauth2.refreshes, e.oauth2.invalidGrants
}

// issueLocked mints an access token and, when withRefresh, a refresh token. Fitbit keeps one refresh token
// per user and client, so a new one kills the others.
func (e *Emulator) issueLocked(p provider, clientID string, scopes []string, withRefresh bool) (access, refresh string, expires time.Time) {
	userID, ttl, prefix, refreshPrefix := e.user.EncodedID, e.accessTTL, "", ""
	if p == googleOAuth2 {
		userID, ttl, prefix, refreshPrefix = e.google.HealthUserID, e.googleTTL, "ya29.", "1//"
	}
	now := e.now()
	for k, t := range e.oauth2.access {
		if !now.Before(t.expires.Add(time.Hour)) { // keep expired ones an hour so they answer expired_token
			delete(e.oauth2.access, k)
		}
	}
	access = prefix + randomString(24)
	expires = now.Add(ttl)
	e.oauth2.access[access] = &bearerToken{provider: p, clientID: clientID, userID: userID, scopes: scopes, expires: expires}
	if !withRefresh {
		return access, "", expires
	}
	if p == fitbitOAuth2 {
		for k, t := range e.oauth2.refresh {
			if t.provider == p && t.clientID == clientID && t.userID == userID {
				delete(e.oauth2.refresh, k)
			}
		}
	}
	refresh = refreshPrefix + randomString(32)
	e.oauth2.refresh[refresh] = &refreshToken{provider: p, clientID: clientID, userID: userID, scopes: scopes}
	return access, refresh, expires
}

// bearerStatus is what an API learns from an Authorization: Bearer header.
type bearerStatus int

const (
	bearerMissing bearerStatus = iota
	bearerUnknown              // never issued, revoked, or issued by the other provider
	bearerExpired
	bearerValid
)

// bearer looks up the request's Bearer token for provider p.
func (e *Emulator) bearer(r *http.Request, p provider) (bearerToken, bearerStatus) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return bearerToken{}, bearerMissing
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.oauth2.access[strings.TrimSpace(token)]
	switch {
	case !ok || t.provider != p:
		return bearerToken{}, bearerUnknown
	case !e.now().Before(t.expires):
		return *t, bearerExpired
	}
	return *t, bearerValid
}

func (t bearerToken) has(scope string) bool { return slices.Contains(t.scopes, scope) }
