package ihealth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/httpx"
)

// Config is what the sign-in and the data calls need.
type Config struct {
	ClientID, ClientSecret string
	SC, SV                 string // IHEALTH_SC (the app's serial code) and IHEALTH_SV (the weight API's serial value)
	APIURL                 string // IHEALTH_API_URL: code exchange, refresh and data
	// ConsentURL is where the browser is sent for the consent page; "" is APIURL. Demo mode serves the
	// emulator's consent page under the app's own address.
	ConsentURL  string
	CallbackURL string // {BASE_URL}/callback, registered at iHealth
	HTTPClient  *http.Client
	Now         func() time.Time
}

// SignIn is iHealth's OAuth 2.0 variant. iHealth does not document echoing a state parameter, so the app's
// state travels inside the redirect URI ({BASE_URL}/callback?state=...): iHealth allows extra query parameters
// on the registered redirect URI, and the app's /callback then finds state in its own query. The code exchange
// repeats that redirect URI byte for byte, so Pending keeps it.
type SignIn struct {
	c  Config
	hc *http.Client
}

// NewSignIn returns the sign-in described by c.
func NewSignIn(c Config) *SignIn {
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	c.ConsentURL = strings.TrimRight(c.ConsentURL, "/")
	if c.ConsentURL == "" {
		c.ConsentURL = c.APIURL
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	// A redirect could carry the query's secrets to another host: none is followed.
	nc := *hc
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &SignIn{c: c, hc: &nc}
}

// Name returns the provider id.
func (s *SignIn) Name() string { return ID }

// Begin returns the consent URL; the state and the exact redirect URI stay on the server.
func (s *SignIn) Begin(context.Context) (string, connect.Pending, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	state := base64.RawURLEncoding.EncodeToString(b)
	redirect, err := withState(s.c.CallbackURL, state)
	if err != nil {
		return "", connect.Pending{}, err
	}
	q := url.Values{
		"client_id":       {s.c.ClientID},
		"response_type":   {"code"},
		"redirect_uri":    {redirect},
		"APIName":         {APIName + " " + APINameInfo},
		"RequiredAPIName": {APIName},
	}
	p := connect.Pending{Provider: ID, State: state, RedirectURI: redirect, Started: s.c.Now()}
	return s.c.ConsentURL + AuthPath + "?" + q.Encode(), p, nil
}

// withState adds state to the callback URL's query.
func withState(callback, state string) (string, error) {
	u, err := url.Parse(callback)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("ihealth: the callback URL is not an absolute URL")
	}
	q := u.Query()
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Check accepts a callback whose state (from inside the redirect URI, or echoed by iHealth) matches the pending
// sign-in, compared in constant time, and that carries a code; error=access_denied is a refusal.
func (s *SignIn) Check(p connect.Pending, cb connect.Callback) error {
	if cb.State == "" {
		return connect.ErrMissingParam
	}
	if p.State == "" || subtle.ConstantTimeCompare([]byte(cb.State), []byte(p.State)) != 1 {
		return connect.ErrMismatch
	}
	switch {
	case cb.Error == "access_denied":
		return connect.ErrDenied
	case cb.Error != "":
		return fmt.Errorf("%w: %s", connect.ErrProviderError, httpx.Identifier(cb.Error))
	case cb.Code == "":
		return connect.ErrMissingParam
	}
	return nil
}

// Complete exchanges the code: a GET to the OAuth URL with everything in the query, and the redirect URI the
// consent page was given.
func (s *SignIn) Complete(ctx context.Context, p connect.Pending, cb connect.Callback) (connect.Token, error) {
	if err := s.Check(p, cb); err != nil {
		return connect.Token{}, err
	}
	if p.RedirectURI == "" {
		return connect.Token{}, connect.ErrMismatch
	}
	q := url.Values{
		"client_id":     {s.c.ClientID},
		"client_secret": {s.c.ClientSecret},
		"grant_type":    {"authorization_code"},
		"code":          {cb.Code},
		"redirect_uri":  {p.RedirectURI},
	}
	body, err := s.tokenCall(ctx, s.c.APIURL, q, "code exchange")
	if err != nil {
		return connect.Token{}, err
	}
	t, err := decodeToken(body, s.c.Now(), s.c.APIURL, true)
	if err != nil {
		return connect.Token{}, rejected("code exchange", err)
	}
	if t.Scope != "" && !strings.Contains(" "+t.Scope+" ", " "+APIName+" ") {
		return connect.Token{}, fmt.Errorf("%w: %s", connect.ErrScopeMissing, APIName)
	}
	return t, nil
}

// Refresh trades the refresh token for a new pair: response_type=refresh_token and no grant_type. Whether
// iHealth rotates refresh tokens is not known: an answer with a new one replaces it (package tokens stores it
// before use), an answer without one keeps the old. The refresh goes to the configured host; an answer that the
// account lives in another region (2005) is retried once at the host its token named.
func (s *SignIn) Refresh(ctx context.Context, t connect.Token) (connect.Token, error) {
	if t.RefreshToken == "" {
		return connect.Token{}, fmt.Errorf("%w: no refresh token", connect.ErrInvalidGrant)
	}
	q := url.Values{
		"client_id":     {s.c.ClientID},
		"client_secret": {s.c.ClientSecret},
		"response_type": {"refresh_token"},
		"refresh_token": {t.RefreshToken},
		"redirect_uri":  {s.c.CallbackURL},
	}
	if t.UserID != "" {
		q.Set("UserID", t.UserID)
	}
	body, err := s.tokenCall(ctx, s.c.APIURL, q, "refresh")
	if err != nil && t.Secret != "" && t.Secret != s.c.APIURL && isRegionError(err) {
		body, err = s.tokenCall(ctx, t.Secret, q, "refresh")
	}
	if err != nil {
		return connect.Token{}, err
	}
	nt, err := decodeToken(body, s.c.Now(), s.c.APIURL, false)
	if err != nil {
		return connect.Token{}, fmt.Errorf("%w: refresh: %w", connect.ErrProviderFailed, err)
	}
	if nt.RefreshToken == "" {
		nt.RefreshToken = t.RefreshToken
	}
	if nt.UserID == "" {
		nt.UserID = t.UserID
	}
	if nt.Secret == "" {
		nt.Secret = t.Secret
	}
	if nt.Scope == "" {
		nt.Scope = t.Scope
	}
	return nt, nil
}

// regionError marks a token call iHealth refused with 2005.
type regionError struct{ error }

func (e regionError) Unwrap() error { return e.error }

func isRegionError(err error) bool { _, ok := err.(regionError); return ok }

// tokenCall sends one GET to the OAuth URL at host and returns a successful answer's body. Failures never quote
// the answer, which can echo the code or the refresh token.
func (s *SignIn) tokenCall(ctx context.Context, host string, q url.Values, step string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, host+AuthPath+"?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("ihealth: %s request: %w", step, httpx.RedactURLError(err))
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", connect.ErrProviderFailed, step, httpx.RedactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", connect.ErrProviderFailed, step, err)
	}
	e := classify(resp, body, s.c.Now())
	if e == nil {
		return body, nil
	}
	switch {
	case e.Code == codeRegion:
		return nil, regionError{fmt.Errorf("%w: %s: %w", connect.ErrRejected, step, e)}
	case e.kind == ErrRateLimited || e.kind == ErrUnavailable:
		return nil, fmt.Errorf("%w: %s: %w", connect.ErrProviderFailed, step, e)
	case e.Name == "" && e.Code == 0:
		// Not iHealth's error shape (an HTML page, a proxy's answer): nothing says the grant is dead.
		return nil, fmt.Errorf("%w: %s: %w", connect.ErrProviderFailed, step, e)
	case e.Code == codeRedirectMismatch || e.Code == codeSecretMismatch || e.Code == codeUnauthorizedApp ||
		e.Code == codeInvalidAPIName || e.Code == codeSCSV:
		return nil, fmt.Errorf("%w: %s: %w", connect.ErrRejected, step, e)
	}
	// Anything else about the code or refresh token (unauthorized_token, is_not_authorized, an unknown name):
	// the grant is spent or revoked.
	return nil, fmt.Errorf("%w: %s: %w", connect.ErrInvalidGrant, step, e)
}

// Client authorises each request by adding the app's and the account's credentials to its query, as iHealth
// wants them (no header), and sends requests for the configured host to the account's region. An answer that
// the token is no good (2002, whatever the HTTP status) becomes a 401, so package tokens refreshes once and
// retries. Redirects are never followed.
func (s *SignIn) Client(_ context.Context, t connect.Token) *http.Client {
	base := s.hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	tr := &transport{base: base, c: s.c, token: t.Token, region: t.Secret}
	return &http.Client{Transport: tr, Timeout: s.hc.Timeout, CheckRedirect: s.hc.CheckRedirect}
}
