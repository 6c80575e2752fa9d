package connect

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/bodystats/bodystats/internal/httpx"
)

// OAuth1 signs in with OAuth 1.0a (RFC 5849, HMAC-SHA1), as Fitbit did until 2016 and the built-in emulator does.
type OAuth1 struct {
	name       string
	config     oauth1.Config
	httpClient *http.Client
}

// OAuth1Config describes an OAuth 1.0a provider: Fitbit's endpoints live on two hosts.
type OAuth1Config struct {
	Name           string // provider id, e.g. "fitbit-oauth1"
	ConsumerKey    string
	ConsumerSecret string
	APIURL         string // /oauth/request_token and /oauth/access_token
	WWWURL         string // /oauth/authorize
	CallbackURL    string // {BASE_URL}/callback
	HTTPClient     *http.Client
}

// NewOAuth1 returns the provider described by c.
func NewOAuth1(c OAuth1Config) *OAuth1 {
	api := strings.TrimRight(c.APIURL, "/")
	www := strings.TrimRight(c.WWWURL, "/")
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &OAuth1{
		name:       c.Name,
		httpClient: hc,
		config: oauth1.Config{
			ConsumerKey:    c.ConsumerKey,
			ConsumerSecret: c.ConsumerSecret,
			CallbackURL:    c.CallbackURL,
			Endpoint: oauth1.Endpoint{
				RequestTokenURL: api + "/oauth/request_token",
				AuthorizeURL:    www + "/oauth/authorize",
				AccessTokenURL:  api + "/oauth/access_token",
			},
		},
	}
}

// Name returns the provider id.
func (p *OAuth1) Name() string { return p.name }

// Begin fetches a request token; its secret goes into Pending and never to the browser.
func (p *OAuth1) Begin(ctx context.Context) (string, Pending, error) {
	cfg, rec := p.configFor(ctx)
	token, secret, err := cfg.RequestToken()
	if err != nil {
		return "", Pending{}, rec.failure("request token", err)
	}
	authURL, err := cfg.AuthorizationURL(token)
	if err != nil {
		return "", Pending{}, fmt.Errorf("connect: authorization url: %w", err)
	}
	return authURL.String(), Pending{Provider: p.name, RequestToken: token, RequestSecret: secret, Started: time.Now()}, nil
}

// Check accepts a callback that carries the pending request token and a verifier,
// or a refusal of that same token.
func (p *OAuth1) Check(pending Pending, cb Callback) error {
	if cb.Denied != "" {
		if !equal(cb.Denied, pending.RequestToken) {
			return ErrMismatch
		}
		return ErrDenied
	}
	if cb.OAuthToken == "" || cb.OAuthVerifier == "" {
		return ErrMissingParam
	}
	if !equal(cb.OAuthToken, pending.RequestToken) {
		return ErrMismatch
	}
	return nil
}

// Complete exchanges the request token and verifier for an access token.
func (p *OAuth1) Complete(ctx context.Context, pending Pending, cb Callback) (Token, error) {
	if err := p.Check(pending, cb); err != nil {
		return Token{}, err
	}
	cfg, rec := p.configFor(ctx)
	token, secret, err := cfg.AccessToken(pending.RequestToken, pending.RequestSecret, cb.OAuthVerifier)
	if err != nil {
		return Token{}, rec.failure("access token", err)
	}
	return Token{Kind: "oauth1", Token: token, Secret: secret, UserID: rec.userID}, nil
}

// Client signs every request with the consumer and the access token.
func (p *OAuth1) Client(ctx context.Context, t Token) *http.Client {
	ctx = context.WithValue(ctx, oauth1.HTTPClient, p.httpClient)
	c := p.config.Client(ctx, oauth1.NewToken(t.Token, t.Secret))
	c.Timeout = p.httpClient.Timeout
	return c
}

// configFor returns a copy of the config whose token calls run under ctx and are watched by a recorder.
// dghubble/oauth1's token calls take no context and return only the token pair; the recorder supplies
// the context and keeps the status and the encoded_user_id that Fitbit adds to the access token answer.
func (p *OAuth1) configFor(ctx context.Context) (*oauth1.Config, *tokenRecorder) {
	rec := &tokenRecorder{ctx: ctx, base: p.httpClient}
	cfg := p.config
	cfg.HTTPClient = &http.Client{Transport: rec, Timeout: p.httpClient.Timeout}
	return &cfg, rec
}

// tokenRecorder is an http.RoundTripper for the two token calls of one flow step.
type tokenRecorder struct {
	ctx    context.Context
	base   *http.Client
	status int
	userID string
}

func (r *tokenRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.Do(req.WithContext(r.ctx))
	if err != nil {
		return nil, err
	}
	r.status = resp.StatusCode
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated {
		if v, err := url.ParseQuery(strings.TrimSpace(string(body))); err == nil {
			r.userID = v.Get("encoded_user_id")
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// failure turns a token-call error into one that names what failed but never quotes the provider's answer,
// which can echo tokens.
func (r *tokenRecorder) failure(step string, err error) error {
	if r.status == 0 {
		return fmt.Errorf("%w: %s: %w", ErrProviderFailed, step, httpx.RedactURLError(err))
	}
	if r.status == http.StatusGone {
		return fmt.Errorf("%w: %s", ErrGone, step)
	}
	if r.status >= 500 {
		return fmt.Errorf("%w: %s: HTTP %d", ErrProviderFailed, step, r.status)
	}
	if r.status == http.StatusOK || r.status == http.StatusCreated {
		return fmt.Errorf("%w: %s: the answer was incomplete", ErrRejected, step)
	}
	return fmt.Errorf("%w: %s: HTTP %d", ErrRejected, step, r.status)
}
