// Package tokens is the one path through which the app reads an account's credentials: it refreshes OAuth 2.0
// tokens one at a time per account and commits the new pair to the store before anything uses it.
package tokens

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
)

// ErrReconnect means the provider refused the account's tokens for good: the person must sign in again.
// The account is marked so every page offers a Reconnect; its data stays.
var ErrReconnect = provider.Kind("tokens: the connection must be renewed", provider.ErrReconnect)

// refreshMargin refreshes a little before expiry, so a request never leaves with a token about to lapse.
const refreshMargin = time.Minute

// Store is the part of the store the manager uses; tests wrap it to inject failures.
type Store interface {
	Credentials(ctx context.Context, accountID int64) (store.Credentials, error)
	SaveCredentials(ctx context.Context, accountID int64, c store.Credentials) error
	SetNeedsReconnect(ctx context.Context, id int64, needs bool) error
}

// Refresher is a provider that can refresh OAuth 2.0 tokens (connect.OAuth2).
type Refresher interface {
	Refresh(ctx context.Context, t connect.Token) (connect.Token, error)
}

// Manager hands out valid tokens and authorised clients.
type Manager struct {
	store     Store
	providers map[string]connect.Provider
	log       *slog.Logger
	now       func() time.Time

	mu    sync.Mutex
	locks map[int64]*sync.Mutex // one refresh at a time per account
}

// New returns a Manager over st for the given providers.
func New(st Store, providers []connect.Provider, log *slog.Logger) *Manager {
	m := &Manager{store: st, providers: map[string]connect.Provider{}, log: log, now: time.Now, locks: map[int64]*sync.Mutex{}}
	for _, p := range providers {
		m.providers[p.Name()] = p
	}
	return m
}

func (m *Manager) lock(accountID int64) *sync.Mutex {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.locks[accountID]
	if !ok {
		l = &sync.Mutex{}
		m.locks[accountID] = l
	}
	return l
}

// Token returns the account's current token, refreshing it first when it expires within a minute.
func (m *Manager) Token(ctx context.Context, acct store.Account) (connect.Token, error) {
	return m.token(ctx, acct, "")
}

// token returns a valid token. When failed is the access token a request was just refused with, the token is
// refreshed even if it looks unexpired, unless another request already replaced it.
func (m *Manager) token(ctx context.Context, acct store.Account, failed string) (connect.Token, error) {
	l := m.lock(acct.ID)
	l.Lock()
	defer l.Unlock()
	creds, err := m.store.Credentials(ctx, acct.ID)
	if errors.Is(err, store.ErrNeedsReconnect) {
		// Sealed with another key (a restore without secret.key): the store marked the account already.
		return connect.Token{}, fmt.Errorf("%w: %w", ErrReconnect, err)
	}
	if err != nil {
		return connect.Token{}, fmt.Errorf("tokens: credentials of account %d: %w", acct.ID, err)
	}
	tok := fromCredentials(creds)
	stale := failed != "" && failed == tok.Token
	expiring := !tok.Expiry.IsZero() && m.now().Add(refreshMargin).After(tok.Expiry)
	if tok.Kind != "oauth2" || !(stale || expiring) {
		return tok, nil
	}
	return m.refresh(ctx, acct, tok)
}

// refresh runs under the account's lock. The new pair is committed before it is returned; if it cannot be
// stored it is not used at all, so no request ever carries a token the store does not hold.
func (m *Manager) refresh(ctx context.Context, acct store.Account, tok connect.Token) (connect.Token, error) {
	r, ok := m.providers[acct.Provider].(Refresher)
	if !ok {
		return connect.Token{}, fmt.Errorf("tokens: provider %q cannot refresh tokens", acct.Provider)
	}
	fresh, err := r.Refresh(ctx, tok)
	if errors.Is(err, connect.ErrInvalidGrant) {
		if merr := m.store.SetNeedsReconnect(ctx, acct.ID, true); merr != nil {
			return connect.Token{}, fmt.Errorf("tokens: mark account %d for reconnect: %w", acct.ID, merr)
		}
		m.log.Warn("refresh refused; account needs reconnect", "account", acct.ID, "provider", acct.Provider)
		return connect.Token{}, fmt.Errorf("%w: %w", ErrReconnect, err)
	}
	if err != nil {
		return connect.Token{}, fmt.Errorf("tokens: refresh account %d: %w", acct.ID, err)
	}
	if err := m.store.SaveCredentials(ctx, acct.ID, toCredentials(fresh)); err != nil {
		return connect.Token{}, fmt.Errorf("tokens: store refreshed token of account %d (not used): %w", acct.ID, err)
	}
	m.log.Info("token refreshed", "account", acct.ID, "provider", acct.Provider)
	return fresh, nil
}

// Client returns an HTTP client authorised as the account. OAuth 2.0 clients take their token from Token on
// every request and, when the provider answers 401, refresh once and retry.
func (m *Manager) Client(ctx context.Context, acct store.Account) (*http.Client, error) {
	p, ok := m.providers[acct.Provider]
	if !ok {
		return nil, fmt.Errorf("tokens: provider %q is not configured", acct.Provider)
	}
	tok, err := m.Token(ctx, acct)
	if err != nil {
		return nil, err
	}
	base := p.Client(ctx, tok)
	if tok.Kind != "oauth2" {
		c := *base
		c.CheckRedirect = noRedirects
		return &c, nil
	}
	return &http.Client{Timeout: base.Timeout, Transport: &bearer{m: m, acct: acct, provider: p}, CheckRedirect: noRedirects}, nil
}

// noRedirects keeps an account's token from following a redirect to another host: the transports sign or
// authorise every request they send, so a followed redirect would carry the token there. No provider API
// answers a data request with a redirect; the answer is handed back as it is.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// bearer authorises each request with the account's current token.
type bearer struct {
	m        *Manager
	acct     store.Account
	provider connect.Provider
}

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := b.m.Token(req.Context(), b.acct)
	if err != nil {
		return nil, err
	}
	resp, err := b.send(req, tok)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || req.Body != nil {
		return resp, err
	}
	// The provider says the token is no good (expired early, or revoked): refresh once, then retry.
	resp.Body.Close()
	if tok, err = b.m.token(req.Context(), b.acct, tok.Token); err != nil {
		return nil, err
	}
	return b.send(req, tok)
}

func (b *bearer) send(req *http.Request, tok connect.Token) (*http.Response, error) {
	// The provider's own client (x/oauth2 under the hood) sets the header and uses the configured transport.
	return b.provider.Client(req.Context(), tok).Transport.RoundTrip(req)
}

func fromCredentials(c store.Credentials) connect.Token {
	return connect.Token{Kind: c.Kind, Token: c.Token, Secret: c.Secret, RefreshToken: c.RefreshToken, Expiry: c.Expiry, Scope: c.Scope}
}

func toCredentials(t connect.Token) store.Credentials {
	return store.Credentials{Kind: t.Kind, Token: t.Token, Secret: t.Secret, RefreshToken: t.RefreshToken, Expiry: t.Expiry, Scope: t.Scope}
}
