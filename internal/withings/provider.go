// Package withings connects bodystats to Withings scales: its OAuth 2.0 sign-in with Withings' own token
// envelope, the measure service (getmeas) and the Source the syncer drives.
package withings

import (
	"context"
	"errors"
	"net/http"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

// ID is the provider id.
const ID = "withings"

// Provider is the Withings sign-in with the measure service behind it.
type Provider struct {
	provider.Base
	apiURL string
}

// NewProvider wraps a sign-in whose tokens open the API at apiURL.
func NewProvider(signIn *SignIn, info provider.Info, apiURL string) *Provider {
	return &Provider{Base: provider.Base{Provider: signIn, About: info}, apiURL: apiURL}
}

// Identify names the person by the userid the token answer carried; it sends no request (the public API has
// no profile service without a partner contract).
func (p *Provider) Identify(_ context.Context, _ *http.Client, tok connect.Token) (provider.Profile, error) {
	if tok.UserID == "" {
		return provider.Profile{}, errors.New("withings: the token answer named no userid")
	}
	return provider.Profile{UserID: tok.UserID, DisplayName: "Withings user " + tok.UserID}, nil
}

// Source returns the sync of one account.
func (p *Provider) Source(env provider.SourceEnv) (provider.Source, error) {
	return NewSource(NewClient(env.HTTP, p.apiURL), env)
}
