package main

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/handlers"
)

// Provider ids, as CONTRACT.md names them for /login?provider=.
const (
	providerOAuth1 = "fitbit-oauth1"
	providerFitbit = "fitbit"
	providerGoogle = "google-health"
)

// endpoints says where each protocol's provider lives: the real hosts, or the demo emulator.
type endpoints struct {
	fitbitAPI, fitbitWWW                  string
	googleAuth, googleToken, googleHealth string
}

// clients are the OAuth clients bodystats signs in with; an empty id leaves that provider out.
type clients struct {
	consumerKey, consumerSecret string // OAuth 1.0a
	fitbitID, fitbitSecret      string
	googleID, googleSecret      string
}

// labels are the words the landing page shows for each provider.
type labels struct{ oauth1, oauth1Note, fitbit, fitbitNote, google, googleNote string }

var realLabels = labels{
	oauth1:     "Connect Fitbit",
	oauth1Note: "OAuth 1.0a, as in 2013. Fitbit retired OAuth 1.0a in 2016; this works with Fitbit-compatible servers.",
	fitbit:     "Connect Fitbit (Web API)",
	fitbitNote: "The legacy Fitbit Web API, which Fitbit switched off in November 2026.",
	google:     "Connect Fitbit via Google Health",
	googleNote: "Your Fitbit history, through the Google Health API and your Google account.",
}

// buildProviders returns the sign-in providers the configuration names, most useful first. In demo mode they
// are the built-in emulator, started here on a loopback port (see demo.go).
func buildProviders(cfg config.Config, key []byte, logger *slog.Logger) ([]handlers.Provider, *demoServer, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	if cfg.DemoMode() {
		demo, err := startDemo(cfg, key, logger)
		if err != nil {
			return nil, nil, err
		}
		return demo.providers(cfg, hc), demo, nil
	}
	ep := endpoints{
		fitbitAPI: cfg.FitbitAPIURL, fitbitWWW: cfg.FitbitWWWURL,
		googleAuth: cfg.GoogleAuthURL, googleToken: cfg.GoogleTokenURL, googleHealth: cfg.GoogleHealthAPIURL,
	}
	cl := clients{
		consumerKey: cfg.FitbitConsumerKey, consumerSecret: cfg.FitbitConsumerSecret,
		fitbitID: cfg.FitbitClientID, fitbitSecret: cfg.FitbitClientSecret,
		googleID: cfg.GoogleClientID, googleSecret: cfg.GoogleClientSecret,
	}
	ps := providerList(cfg.CallbackURL(), ep, cl, realLabels, hc)
	if len(ps) == 0 {
		return nil, nil, errors.New("no provider is configured and demo mode is off")
	}
	return ps, nil, nil
}

// providerList builds one provider per configured client: Google Health, then Fitbit's OAuth 2.0, then
// OAuth 1.0a. Every provider's redirect URI is the one callback.
func providerList(callback string, ep endpoints, cl clients, l labels, hc *http.Client) []handlers.Provider {
	var out []handlers.Provider
	if cl.googleID != "" {
		p := connect.NewOAuth2(connect.OAuth2Config{
			Name: providerGoogle, ClientID: cl.googleID, ClientSecret: cl.googleSecret,
			AuthURL: ep.googleAuth, TokenURL: ep.googleToken, AuthStyle: oauth2.AuthStyleInParams,
			Scopes:      googlehealth.Scopes,
			AuthParams:  map[string]string{"access_type": "offline", "prompt": "consent"}, // a refresh token, every time
			CallbackURL: callback, HTTPClient: hc,
		})
		out = append(out, handlers.Provider{Provider: p, Action: l.google, Note: l.googleNote, Google: true, APIURL: ep.googleHealth})
	}
	if cl.fitbitID != "" {
		p := connect.NewOAuth2(connect.OAuth2Config{
			Name: providerFitbit, ClientID: cl.fitbitID, ClientSecret: cl.fitbitSecret,
			AuthURL: ep.fitbitWWW + "/oauth2/authorize", TokenURL: ep.fitbitAPI + "/oauth2/token",
			AuthStyle: oauth2.AuthStyleInHeader, // Fitbit "Server" apps authenticate with HTTP Basic
			Scopes:    []string{"weight", "profile"}, ProbeConsent: true,
			CallbackURL: callback, HTTPClient: hc,
		})
		out = append(out, handlers.Provider{Provider: p, Action: l.fitbit, Note: l.fitbitNote, APIURL: ep.fitbitAPI})
	}
	if cl.consumerKey != "" {
		p := connect.NewOAuth1(connect.OAuth1Config{
			Name: providerOAuth1, ConsumerKey: cl.consumerKey, ConsumerSecret: cl.consumerSecret,
			APIURL: ep.fitbitAPI, WWWURL: ep.fitbitWWW, CallbackURL: callback, HTTPClient: hc,
		})
		out = append(out, handlers.Provider{Provider: p, Action: l.oauth1, Note: l.oauth1Note, APIURL: ep.fitbitAPI})
	}
	return out
}
