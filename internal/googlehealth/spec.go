package googlehealth

import (
	"slices"
	"time"

	"golang.org/x/oauth2"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

// Spec is the Google Health API behind Google's OAuth 2.0 sign-in, with GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.
var Spec = provider.Spec{
	ID:         ID,
	Configured: func(get func(string) string) bool { return get("GOOGLE_CLIENT_ID") != "" },
	New:        newProvider,
}

func newProvider(env provider.Env) provider.Provider {
	info := provider.Info{
		ID: ID, Name: "Google Health", Action: "Connect Fitbit via Google Health",
		Note:  "Your Fitbit history, through the Google Health API and your Google account.",
		Setup: "google", Scopes: append(slices.Clone(Scopes), OptionalScopes...),
		TestingGrant: 7 * 24 * time.Hour, // refresh tokens of a client left in "Testing"
	}
	if env.Demo {
		info.Action, info.Note = "Try the Google Health sign-in (demo)", ""
	}
	signIn := connect.NewOAuth2(connect.OAuth2Config{
		Name: ID, ClientID: env.Get("GOOGLE_CLIENT_ID"), ClientSecret: env.Get("GOOGLE_CLIENT_SECRET"),
		AuthURL: env.Get("GOOGLE_AUTH_URL"), TokenURL: env.Get("GOOGLE_TOKEN_URL"), AuthStyle: oauth2.AuthStyleInParams,
		Scopes: Scopes, OptionalScopes: OptionalScopes,
		AuthParams:  map[string]string{"access_type": "offline", "prompt": "consent"}, // a refresh token, every time
		CallbackURL: env.CallbackURL, HTTPClient: env.HTTPClient,
	})
	return NewProvider(signIn, info, env.Get("GOOGLE_HEALTH_API_URL"))
}
