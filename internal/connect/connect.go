// Package connect runs the OAuth sign-in flows: Begin gives the consent URL and the pending state the server keeps,
// Complete turns the provider's callback into credentials. It knows nothing of HTTP routing or SQL.
package connect

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// PendingTTL is how long a started sign-in stays valid.
const PendingTTL = 10 * time.Minute

// Why a callback was refused. Handlers map each to a sentence and a 4xx status.
var (
	ErrDenied         = errors.New("connect: the person declined access")
	ErrMissingParam   = errors.New("connect: callback is missing a parameter")
	ErrMismatch       = errors.New("connect: callback does not belong to the pending sign-in")
	ErrRejected       = errors.New("connect: the provider refused the exchange")
	ErrProviderFailed = errors.New("connect: the provider could not be reached")
	ErrProviderError  = errors.New("connect: the provider reported an error")
	ErrScopeMissing   = errors.New("connect: a required permission was not granted")
	ErrGone           = errors.New("connect: the provider has been switched off")
	// ErrInvalidGrant: the provider refused a code or refresh token for good (revoked, reused, expired).
	ErrInvalidGrant = errors.New("connect: grant refused")
)

// Pending is what the server keeps between Begin and the callback. It holds secrets (the OAuth 1.0a request
// token secret, later an OAuth 2.0 PKCE verifier), so callers store it sealed and never in a cookie.
type Pending struct {
	Provider      string `json:"provider"`
	RequestToken  string `json:"request_token,omitempty"`
	RequestSecret string `json:"request_secret,omitempty"`
	State         string `json:"state,omitempty"`    // OAuth 2.0
	Verifier      string `json:"verifier,omitempty"` // OAuth 2.0 PKCE code verifier
	// RedirectURI is the redirect URI the consent page was given, when the exchange must repeat it byte for
	// byte and it is not the app's plain callback (iHealth: the state travels inside it).
	RedirectURI string    `json:"redirect_uri,omitempty"`
	Started     time.Time `json:"started"`
}

// Marshal encodes the pending sign-in for storage.
func (p Pending) Marshal() ([]byte, error) { return json.Marshal(p) }

// UnmarshalPending decodes what Marshal wrote.
func UnmarshalPending(b []byte) (Pending, error) {
	var p Pending
	if err := json.Unmarshal(b, &p); err != nil {
		return Pending{}, fmt.Errorf("connect: decode pending sign-in: %w", err)
	}
	return p, nil
}

// Callback is the provider's redirect to /callback, whichever protocol it speaks.
type Callback struct {
	OAuthToken    string // OAuth 1.0a
	OAuthVerifier string // OAuth 1.0a
	Denied        string // OAuth 1.0a: the request token the person declined
	Code          string // OAuth 2.0
	State         string // OAuth 2.0
	Error         string // OAuth 2.0, e.g. access_denied
}

// ParseCallback reads a callback's query.
func ParseCallback(q url.Values) Callback {
	return Callback{
		OAuthToken:    q.Get("oauth_token"),
		OAuthVerifier: q.Get("oauth_verifier"),
		Denied:        q.Get("denied"),
		Code:          q.Get("code"),
		State:         q.Get("state"),
		Error:         q.Get("error"),
	}
}

// Token is a provider's grant: an OAuth 1.0a access token and secret, or an OAuth 2.0 token pair.
type Token struct {
	Kind         string // "oauth1" or "oauth2"
	Token        string
	Secret       string
	RefreshToken string
	Expiry       time.Time
	Scope        string
	UserID       string // the provider's id for the person, when the token answer names it
}

// Provider is one way to sign in.
type Provider interface {
	// Name is the provider's id: "fitbit-oauth1", "fitbit", "google-health".
	Name() string
	// Begin starts a sign-in and returns the consent URL to send the browser to.
	Begin(ctx context.Context) (authURL string, p Pending, err error)
	// Check tells whether a callback belongs to the pending sign-in, without spending it.
	// It returns ErrDenied for a matching refusal, ErrMissingParam or ErrMismatch otherwise.
	Check(p Pending, cb Callback) error
	// Complete exchanges a checked callback for a token. Call it once per pending sign-in.
	Complete(ctx context.Context, p Pending, cb Callback) (Token, error)
	// Client returns an HTTP client that authorises each request with the token.
	Client(ctx context.Context, t Token) *http.Client
}

// fitbitErrorType reads errors[0].errorType from Fitbit's error shape, which is not RFC 6749's.
func fitbitErrorType(body []byte) string {
	var shape struct {
		Errors []struct {
			ErrorType string `json:"errorType"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &shape) != nil || len(shape.Errors) == 0 {
		return ""
	}
	return shape.Errors[0].ErrorType
}

// equal compares two secrets in constant time.
func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
