package ihealth

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

// Provider is iHealth's sign-in with the Open API behind it.
type Provider struct {
	provider.Base
	apiURL string
}

// NewProvider wraps the sign-in; its tokens open the API at apiURL (or the account's region).
func NewProvider(signIn *SignIn, info provider.Info) *Provider {
	return &Provider{Base: provider.Base{Provider: signIn, About: info}, apiURL: signIn.c.APIURL}
}

// Identify names the person by the UserID of the token answer; iHealth's profile call needs another API's
// serial value, so the app reads no name.
func (p *Provider) Identify(_ context.Context, _ *http.Client, tok connect.Token) (provider.Profile, error) {
	if tok.UserID == "" {
		return provider.Profile{}, fmt.Errorf("ihealth: identify the user: %w", errNoUserID)
	}
	short := tok.UserID
	if len(short) > 8 {
		short = short[:8]
	}
	return provider.Profile{UserID: tok.UserID, DisplayName: "iHealth user " + short}, nil
}

// Source returns the sync of one account.
func (p *Provider) Source(env provider.SourceEnv) (provider.Source, error) {
	if env.Account.UserID == "" {
		return nil, fmt.Errorf("ihealth: the account has no iHealth UserID")
	}
	return NewSource(NewClient(env.HTTP, p.apiURL), env)
}

// Describe says what only iHealth's errors can say.
func (p *Provider) Describe(err error) string {
	switch {
	case errors.Is(err, ErrAppCredentials):
		return "iHealth refused bodystats' app credentials (IHEALTH_CLIENT_SECRET, IHEALTH_SC or IHEALTH_SV). Check them on iHealth's app management page; your stored weigh-ins are safe."
	case errors.Is(err, ErrRegion):
		return "iHealth says this account lives in another region than the one bodystats asked. Please reconnect; your stored weigh-ins are safe."
	case errors.Is(err, ErrRateLimited):
		return "iHealth's hourly request limit was reached (500 an hour for an unpaid app). Your stored weigh-ins are safe; the sync goes on by itself once the limit resets."
	}
	return ""
}

var (
	_ provider.Provider  = (*Provider)(nil)
	_ provider.Describer = (*Provider)(nil)
	_ connect.Provider   = (*SignIn)(nil)
)
