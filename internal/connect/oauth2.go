package connect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/bodystats/bodystats/internal/httpx"
)

// OAuth2Config describes an OAuth 2.0 provider with PKCE.
type OAuth2Config struct {
	Name         string // provider id: "fitbit" or "google-health"
	ClientID     string
	ClientSecret string
	AuthURL      string
	TokenURL     string
	// AuthStyle is how the client authenticates at the token endpoint: Fitbit "Server" apps need
	// oauth2.AuthStyleInHeader (HTTP Basic); Google accepts either.
	AuthStyle oauth2.AuthStyle
	Scopes    []string // requested, and all of them required: a person who unticks one must connect again
	// OptionalScopes are requested too, but the sign-in succeeds without them: the provider's API copes when
	// the person unticks one (Google Health's settings).
	OptionalScopes []string
	AuthParams     map[string]string // extra consent-page parameters, e.g. Google's access_type=offline
	CallbackURL    string
	// ProbeConsent makes Begin look at the consent page first, so that a retired provider (410 Gone) gets the
	// app's own explanation instead of the provider's error page.
	ProbeConsent bool
	HTTPClient   *http.Client
}

// OAuth2 signs in with the authorization-code flow and PKCE (S256).
type OAuth2 struct {
	name       string
	config     oauth2.Config
	required   []string
	params     []oauth2.AuthCodeOption
	probe      bool
	httpClient *http.Client
}

// NewOAuth2 returns the provider described by c.
func NewOAuth2(c OAuth2Config) *OAuth2 {
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	p := &OAuth2{
		name:       c.Name,
		probe:      c.ProbeConsent,
		httpClient: hc,
		config: oauth2.Config{
			ClientID:     c.ClientID,
			ClientSecret: c.ClientSecret,
			Endpoint:     oauth2.Endpoint{AuthURL: c.AuthURL, TokenURL: c.TokenURL, AuthStyle: c.AuthStyle},
			RedirectURL:  c.CallbackURL,
			Scopes:       append(slices.Clone(c.Scopes), c.OptionalScopes...),
		},
		required: slices.Clone(c.Scopes),
	}
	for k, v := range c.AuthParams {
		p.params = append(p.params, oauth2.SetAuthURLParam(k, v))
	}
	return p
}

// Name returns the provider id.
func (p *OAuth2) Name() string { return p.name }

// RedirectURI is the redirect URI the sign-in registers with the provider.
func (p *OAuth2) RedirectURI() string { return p.config.RedirectURL }

// Begin creates the state and the PKCE verifier, which stay on the server, and returns the consent URL that
// carries the state and the verifier's S256 challenge.
func (p *OAuth2) Begin(ctx context.Context) (string, Pending, error) {
	if p.probe {
		if err := p.probeConsent(ctx); err != nil {
			return "", Pending{}, err
		}
	}
	state, verifier := oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	opts := append(slices.Clone(p.params), oauth2.S256ChallengeOption(verifier))
	return p.config.AuthCodeURL(state, opts...), Pending{Provider: p.name, State: state, Verifier: verifier, Started: time.Now()}, nil
}

// probeConsent asks for the bare consent page: a 410 means the provider has been switched off.
func (p *OAuth2) probeConsent(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.config.Endpoint.AuthURL, nil)
	if err != nil {
		return fmt.Errorf("connect: consent url: %w", err)
	}
	client := *p.httpClient
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: consent page: %w", ErrProviderFailed, httpx.RedactURLError(err))
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusGone {
		return fmt.Errorf("%w: consent page", ErrGone)
	}
	return nil
}

// Check accepts a callback whose state matches the pending sign-in (compared in constant time) and that carries
// a code; a matching error=access_denied is a refusal.
func (p *OAuth2) Check(pending Pending, cb Callback) error {
	if cb.State == "" {
		return ErrMissingParam
	}
	if !equal(cb.State, pending.State) {
		return ErrMismatch
	}
	switch {
	case cb.Error == "access_denied":
		return ErrDenied
	case cb.Error != "":
		return fmt.Errorf("%w: %s", ErrProviderError, httpx.Identifier(cb.Error))
	case cb.Code == "":
		return ErrMissingParam
	}
	return nil
}

// Complete exchanges the code with the PKCE verifier and checks that every required scope was granted.
func (p *OAuth2) Complete(ctx context.Context, pending Pending, cb Callback) (Token, error) {
	if err := p.Check(pending, cb); err != nil {
		return Token{}, err
	}
	tok, err := p.config.Exchange(p.withClient(ctx), cb.Code, oauth2.VerifierOption(pending.Verifier))
	if err != nil {
		return Token{}, tokenError("code exchange", err)
	}
	t := fromOAuth2(tok)
	if missing := p.missingScopes(t.Scope); len(missing) > 0 {
		return Token{}, fmt.Errorf("%w: %s", ErrScopeMissing, strings.Join(missing, " "))
	}
	return t, nil
}

// Refresh trades the token's refresh token for a new token. Providers that do not rotate refresh tokens
// (Google) answer without one; the old one is kept.
func (p *OAuth2) Refresh(ctx context.Context, t Token) (Token, error) {
	if t.RefreshToken == "" {
		return Token{}, fmt.Errorf("%w: no refresh token", ErrInvalidGrant)
	}
	src := p.config.TokenSource(p.withClient(ctx), &oauth2.Token{RefreshToken: t.RefreshToken, Expiry: time.Unix(1, 0)})
	tok, err := src.Token()
	if err != nil {
		return Token{}, tokenError("refresh", err)
	}
	nt := fromOAuth2(tok)
	if nt.RefreshToken == "" {
		nt.RefreshToken = t.RefreshToken
	}
	if nt.Scope == "" {
		nt.Scope = t.Scope
	}
	nt.UserID = t.UserID
	return nt, nil
}

// Client sends the access token as a bearer token. It does not refresh: the app's refresh path (package tokens)
// wraps OAuth 2.0 clients so that a refreshed pair is stored before it is used.
func (p *OAuth2) Client(ctx context.Context, t Token) *http.Client {
	src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: t.Token, TokenType: "Bearer"})
	c := oauth2.NewClient(p.withClient(ctx), src)
	c.Timeout = p.httpClient.Timeout
	return c
}

func (p *OAuth2) withClient(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, p.httpClient)
}

func (p *OAuth2) missingScopes(granted string) []string {
	if granted == "" {
		return nil // a provider that does not echo the scope granted what was asked
	}
	have := strings.Fields(granted)
	var missing []string
	for _, s := range p.required {
		if !slices.Contains(have, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

func fromOAuth2(tok *oauth2.Token) Token {
	t := Token{Kind: "oauth2", Token: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry}
	if s, ok := tok.Extra("scope").(string); ok {
		t.Scope = s
	}
	if id, ok := tok.Extra("user_id").(string); ok {
		t.UserID = id
	}
	return t
}

// tokenError classifies a token-endpoint failure. The provider's answer is never quoted: Fitbit echoes the
// refresh token in its invalid_grant message.
func tokenError(step string, err error) error {
	var rerr *oauth2.RetrieveError
	if !errors.As(err, &rerr) {
		return fmt.Errorf("%w: %s: %w", ErrProviderFailed, step, httpx.RedactURLError(err))
	}
	status := 0
	if rerr.Response != nil {
		status = rerr.Response.StatusCode
	}
	code := rerr.ErrorCode
	if code == "" {
		code = fitbitErrorType(rerr.Body) // Fitbit's {"errors":[{"errorType":...}]} shape
	}
	switch {
	case status == http.StatusGone:
		return fmt.Errorf("%w: %s", ErrGone, step)
	case code == "invalid_grant":
		return fmt.Errorf("%w: %s: HTTP %d", ErrInvalidGrant, step, status)
	case status >= 500 || status == 0:
		return fmt.Errorf("%w: %s: HTTP %d", ErrProviderFailed, step, status)
	}
	return fmt.Errorf("%w: %s: HTTP %d %s", ErrRejected, step, status, httpx.Identifier(code))
}
