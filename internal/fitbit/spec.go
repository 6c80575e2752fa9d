package fitbit

import (
	"golang.org/x/oauth2"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

// OAuth1Spec is the 2013 sign-in: OAuth 1.0a with FITBIT_CONSUMER_KEY and FITBIT_CONSUMER_SECRET (the seed's
// C_KEY and C_SECRET in config.ini).
var OAuth1Spec = provider.Spec{
	ID:         OAuth1ID,
	Configured: func(get func(string) string) bool { return get("FITBIT_CONSUMER_KEY") != "" },
	New:        newOAuth1,
}

// OAuth2Spec is Fitbit's OAuth 2.0 sign-in with PKCE, FITBIT_CLIENT_ID and FITBIT_CLIENT_SECRET.
var OAuth2Spec = provider.Spec{
	ID:         OAuth2ID,
	Configured: func(get func(string) string) bool { return get("FITBIT_CLIENT_ID") != "" },
	New:        newOAuth2,
}

// gone is what a person reads once Fitbit answers 410.
const gone = "Fitbit turned off its old Web API and sign-in in November 2026, so bodystats cannot connect to it any more. " +
	"Your Fitbit data now lives in your Google account: connect through the Google Health API, or import a Fitbit or Google Takeout export. " +
	"Everything bodystats already stored is kept."

func newOAuth1(env provider.Env) provider.Provider {
	info := provider.Info{
		ID: OAuth1ID, Name: "Fitbit", Action: "Connect Fitbit", Gone: gone,
		Note: "OAuth 1.0a, as in 2013. Fitbit retired OAuth 1.0a in 2016; this works with Fitbit-compatible servers.",
	}
	if env.Demo {
		info.Note = "Demo mode: this connects to bodystats' built-in Fitbit emulator, with a made-up history. No account or internet needed."
	}
	signIn := connect.NewOAuth1(connect.OAuth1Config{
		Name: OAuth1ID, ConsumerKey: env.Get("FITBIT_CONSUMER_KEY"), ConsumerSecret: env.Get("FITBIT_CONSUMER_SECRET"),
		APIURL: env.Get("FITBIT_API_URL"), WWWURL: env.Get("FITBIT_WWW_URL"), CallbackURL: env.CallbackURL, HTTPClient: env.HTTPClient,
	})
	p := NewProvider(signIn, info, env.Get("FITBIT_API_URL"))
	if env.Demo {
		p.publicExample = env.Get(DemoPublicUserSetting)
	}
	return p
}

func newOAuth2(env provider.Env) provider.Provider {
	info := provider.Info{
		ID: OAuth2ID, Name: "Fitbit", Action: "Connect Fitbit (Web API)", Gone: gone, Scopes: Scopes,
		Note: "The legacy Fitbit Web API, which Fitbit switched off in November 2026.",
	}
	if env.Demo {
		info.Action, info.Note = "Try Fitbit's OAuth 2.0 sign-in (demo)", ""
	}
	signIn := connect.NewOAuth2(connect.OAuth2Config{
		Name: OAuth2ID, ClientID: env.Get("FITBIT_CLIENT_ID"), ClientSecret: env.Get("FITBIT_CLIENT_SECRET"),
		AuthURL: env.Get("FITBIT_WWW_URL") + "/oauth2/authorize", TokenURL: env.Get("FITBIT_API_URL") + "/oauth2/token",
		AuthStyle: oauth2.AuthStyleInHeader, // Fitbit "Server" apps authenticate with HTTP Basic
		Scopes:    Scopes, ProbeConsent: true,
		CallbackURL: env.CallbackURL, HTTPClient: env.HTTPClient,
	})
	return NewProvider(signIn, info, env.Get("FITBIT_API_URL"))
}
