package googlehealth

import (
	"context"
	"fmt"
	"net/http"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

// ID is the provider id of the Google Health API.
const ID = "google-health"

// Provider is Google's OAuth 2.0 sign-in with the Health API behind it.
type Provider struct {
	provider.Base
	apiURL string
	// PageSize is how many data points a list request asks for; 0 is MaxPageSize, the fewest requests.
	PageSize int
}

// NewProvider wraps a Google sign-in (connect.OAuth2 named ID) whose tokens open the Health API at apiURL.
func NewProvider(signIn connect.Provider, info provider.Info, apiURL string) *Provider {
	return &Provider{Base: provider.Base{Provider: signIn, About: info}, apiURL: apiURL}
}

// Identify names the person by their Google Health user id.
func (p *Provider) Identify(ctx context.Context, hc *http.Client, _ connect.Token) (provider.Profile, error) {
	id, err := NewClient(hc, p.apiURL).Identity(ctx)
	if err != nil {
		return provider.Profile{}, fmt.Errorf("googlehealth: identify the user: %w", err)
	}
	return provider.Profile{UserID: id.HealthUserID, DisplayName: "Google Health user " + id.HealthUserID}, nil
}

// Source returns the sync of one account.
func (p *Provider) Source(env provider.SourceEnv) (provider.Source, error) {
	return NewSource(NewClient(env.HTTP, p.apiURL), env, p.PageSize)
}
