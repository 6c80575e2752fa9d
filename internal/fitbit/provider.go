package fitbit

import (
	"context"
	"net/http"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

// Provider ids: Fitbit's OAuth 1.0a sign-in of 2013 and its OAuth 2.0 one, both in front of the Web API v1.
const (
	OAuth1ID = "fitbit-oauth1"
	OAuth2ID = "fitbit"
)

// Scopes are what the OAuth 2.0 sign-in asks for, all of them required.
var Scopes = []string{"weight", "profile"}

// Provider is a Fitbit sign-in with the Web API behind it.
type Provider struct {
	provider.Base
	apiURL        string
	publicExample string // a user id whose public profile the landing page may offer to read (demo mode)
}

// NewProvider wraps a sign-in (connect.OAuth1 or connect.OAuth2 named OAuth1ID or OAuth2ID) whose tokens open
// the Web API at apiURL.
func NewProvider(signIn connect.Provider, info provider.Info, apiURL string) *Provider {
	return &Provider{Base: provider.Base{Provider: signIn, About: info}, apiURL: apiURL}
}

// APIURL is the Web API host its tokens work against.
func (p *Provider) APIURL() string { return p.apiURL }

// Identify names the person: the token answer's user id when it carries one, else the profile. When the profile
// cannot be read the account is kept under Fitbit's alias for the signed-in user, "-", so that a token imported
// at start-up is not lost while Fitbit is unreachable.
func (p *Provider) Identify(ctx context.Context, hc *http.Client, tok connect.Token) (provider.Profile, error) {
	if tok.UserID != "" {
		return provider.Profile{UserID: tok.UserID, DisplayName: "Fitbit user " + tok.UserID}, nil
	}
	prof, err := NewClient(hc, p.apiURL).Profile(ctx)
	if err != nil {
		return provider.Profile{UserID: "-", DisplayName: "Fitbit user -"}, nil
	}
	out := ProfileOf(prof)
	if out.DisplayName == "" {
		out.DisplayName = "Fitbit user " + out.UserID
	}
	return out, nil
}

// Source returns the sync of one account.
func (p *Provider) Source(env provider.SourceEnv) (provider.Source, error) {
	return NewSource(NewClient(env.HTTP, p.apiURL), env)
}

// SavedToken is the OAuth 1.0a access token the 2013 post saved by hand in config.ini (U_KEY, U_SECRET).
func (p *Provider) SavedToken(get func(string) string) (connect.Token, bool) {
	if p.Name() != OAuth1ID || get("U_KEY") == "" {
		return connect.Token{}, false
	}
	return connect.Token{Kind: "oauth1", Token: get("U_KEY"), Secret: get("U_SECRET")}, true
}
