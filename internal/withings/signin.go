package withings

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/httpx"
)

// Scope is what the sign-in asks for: the body measures. user.info needs a partner contract.
const Scope = "user.metrics"

// SignInConfig describes a Withings application.
type SignInConfig struct {
	ClientID, ClientSecret string
	AuthURL                string // the consent page, .../oauth2_user/authorize2
	APIURL                 string // the API host: /v2/oauth2 and /measure
	RedirectURI            string // as registered at Withings, sent byte for byte at the consent page and the exchange
	HTTPClient             *http.Client
	Now                    func() time.Time
}

// SignIn is Withings' OAuth 2.0 authorization-code flow. golang.org/x/oauth2 cannot read its token answers, which
// come wrapped in the {"status":N,"body":{...}} envelope with HTTP 200 even on refusal; this reads them. Withings
// documents no PKCE, so none is sent; the state is the only binding between Begin and the callback.
type SignIn struct {
	c  SignInConfig
	hc *http.Client
}

// NewSignIn returns the sign-in c describes.
func NewSignIn(c SignInConfig) *SignIn {
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.APIURL = strings.TrimRight(c.APIURL, "/")
	return &SignIn{c: c, hc: hc}
}

// Name is the provider id.
func (s *SignIn) Name() string { return ID }

// RedirectURI is the redirect URI the sign-in uses.
func (s *SignIn) RedirectURI() string { return s.c.RedirectURI }

// Begin returns the consent URL with a fresh state, which stays on the server in the pending sign-in.
func (s *SignIn) Begin(context.Context) (string, connect.Pending, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	state := base64.RawURLEncoding.EncodeToString(b)
	u, err := url.Parse(s.c.AuthURL)
	if err != nil {
		return "", connect.Pending{}, fmt.Errorf("withings: consent url: %w", err)
	}
	q := u.Query()
	q.Set("response_type", "code")
	q.Set("client_id", s.c.ClientID)
	q.Set("state", state)
	q.Set("scope", Scope)
	q.Set("redirect_uri", s.c.RedirectURI)
	u.RawQuery = q.Encode()
	return u.String(), connect.Pending{Provider: ID, State: state, Started: s.c.Now()}, nil
}

// Check accepts a callback whose state matches (in constant time) and that carries a code; a matching
// error=access_denied is a refusal.
func (s *SignIn) Check(p connect.Pending, cb connect.Callback) error {
	switch {
	case cb.State == "":
		return connect.ErrMissingParam
	case p.State == "" || subtle.ConstantTimeCompare([]byte(cb.State), []byte(p.State)) != 1:
		return connect.ErrMismatch
	case cb.Error == "access_denied":
		return connect.ErrDenied
	case cb.Error != "":
		return fmt.Errorf("%w: withings sent an error instead of a code", connect.ErrProviderError)
	case cb.Code == "":
		return connect.ErrMissingParam
	}
	return nil
}

// Complete exchanges the code at once (Withings' codes live 30 seconds and are single use). An expired or
// reused code answers status 503: the refusal wraps connect.ErrInvalidGrant.
func (s *SignIn) Complete(ctx context.Context, p connect.Pending, cb connect.Callback) (connect.Token, error) {
	if err := s.Check(p, cb); err != nil {
		return connect.Token{}, err
	}
	tok, err := s.requestToken(ctx, stepExchange, url.Values{
		"grant_type": {"authorization_code"}, "code": {cb.Code}, "redirect_uri": {s.c.RedirectURI},
	})
	if err != nil {
		return connect.Token{}, err
	}
	if !slices.Contains(strings.Split(tok.Scope, ","), Scope) && tok.Scope != "" {
		return connect.Token{}, fmt.Errorf("%w: %s", connect.ErrScopeMissing, Scope)
	}
	return tok, nil
}

// Refresh trades the refresh token for a new pair. Withings rotates refresh tokens: the old one stops working
// a while later, so the caller (package tokens) stores the new pair before using it. A dead grant (status 503)
// wraps connect.ErrInvalidGrant; a 601 is a rate-limited error with RetryIn, never a dead grant.
func (s *SignIn) Refresh(ctx context.Context, t connect.Token) (connect.Token, error) {
	if t.RefreshToken == "" {
		return connect.Token{}, fmt.Errorf("%w: withings: no refresh token", connect.ErrInvalidGrant)
	}
	nt, err := s.requestToken(ctx, "refresh", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {t.RefreshToken}})
	if err != nil {
		return connect.Token{}, err
	}
	if nt.RefreshToken == "" {
		nt.RefreshToken = t.RefreshToken
	}
	if nt.UserID == "" {
		nt.UserID = t.UserID
	}
	if nt.Scope == "" {
		nt.Scope = t.Scope
	}
	return nt, nil
}

const stepExchange = "code exchange"

type tokenBody struct {
	UserID       flexID  `json:"userid"`
	AccessToken  string  `json:"access_token"`
	RefreshToken string  `json:"refresh_token"`
	ExpiresIn    flexInt `json:"expires_in"`
	Scope        string  `json:"scope"`
	TokenType    string  `json:"token_type"`
}

// requestToken is POST {API}/v2/oauth2 action=requesttoken, every parameter in the form body.
func (s *SignIn) requestToken(ctx context.Context, step string, form url.Values) (connect.Token, error) {
	form.Set("action", "requesttoken")
	form.Set("client_id", s.c.ClientID)
	form.Set("client_secret", s.c.ClientSecret)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.c.APIURL+"/v2/oauth2", strings.NewReader(form.Encode()))
	if err != nil {
		return connect.Token{}, fmt.Errorf("withings: %s: %w", step, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.hc.Do(req)
	if err != nil {
		return connect.Token{}, fmt.Errorf("%w: withings %s: %w: %w", connect.ErrProviderFailed, step, ErrUnreachable, httpx.RedactURLError(err))
	}
	raw, detail, err := readEnvelope(resp)
	if err != nil {
		return connect.Token{}, tokenError(step, detail, err)
	}
	var b tokenBody
	if err := json.Unmarshal(raw, &b); err != nil || b.AccessToken == "" {
		return connect.Token{}, fmt.Errorf("%w: withings %s: %w: the token answer has no access token", connect.ErrProviderFailed, step, ErrMalformed)
	}
	t := connect.Token{Kind: "oauth2", Token: b.AccessToken, RefreshToken: b.RefreshToken, Scope: b.Scope, UserID: string(b.UserID)}
	if b.ExpiresIn.n > 0 {
		t.Expiry = s.c.Now().Add(time.Duration(b.ExpiresIn.n) * time.Second)
	}
	return t, nil
}

// tokenError classifies a refused token request. 503 is Withings' "invalid params": for a code or a refresh
// token that is a dead grant (expired, reused, revoked), unless it names the client, which reconnecting cannot
// fix. The answer's text is read here and never quoted.
func tokenError(step, detail string, err error) error {
	var se *StatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("%w: withings %s: %w", connect.ErrProviderFailed, step, err)
	}
	lower := strings.ToLower(detail)
	switch {
	case se.Status == 503 && strings.Contains(lower, "client"):
		return fmt.Errorf("%w: withings %s: %w: %w", connect.ErrRejected, step, ErrClient, se)
	case se.Status == 503 && step == stepExchange:
		return fmt.Errorf("%w: %w: %w", connect.ErrInvalidGrant, ErrCodeRefused, se)
	case se.Status == 503:
		return fmt.Errorf("%w: withings %s: %w", connect.ErrInvalidGrant, step, se)
	case se.Status == 601 && step == stepExchange:
		return fmt.Errorf("%w: %w: %w", connect.ErrRejected, ErrCodeRepeated, se)
	case se.Status == 601:
		return fmt.Errorf("%w: withings %s: %w", connect.ErrRejected, step, se)
	case errors.Is(se, ErrUnavailable):
		return fmt.Errorf("%w: withings %s: %w", connect.ErrProviderFailed, step, se)
	}
	return fmt.Errorf("%w: withings %s: %w", connect.ErrRejected, step, se)
}

// Client sends the access token in the Authorization header, the only place Withings is sent it. It does not
// refresh: package tokens does, storing the new pair first.
func (s *SignIn) Client(_ context.Context, t connect.Token) *http.Client {
	base := s.hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{Timeout: s.hc.Timeout, Transport: &bearerTransport{token: t.Token, base: base}}
}

type bearerTransport struct {
	token string
	base  http.RoundTripper
}

// RoundTrip sends the request with the token. An answer whose envelope says 401 (inside an HTTP 200) comes back
// as HTTP 401, body intact, so the app's token manager sees what any other API's expired token looks like and
// refreshes once.
func (b *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	resp, err := b.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	var env struct {
		Status flexInt `json:"status"`
	}
	if json.Unmarshal(raw, &env) == nil && env.Status.ok && env.Status.n == 401 {
		resp.StatusCode, resp.Status = http.StatusUnauthorized, "401 Unauthorized"
	}
	return resp, nil
}
