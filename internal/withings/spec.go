package withings

import (
	"github.com/bodystats/bodystats/internal/provider"
)

// Default hosts, as CONTRACT.md lists them.
const (
	DefaultAuthURL = "https://account.withings.com/oauth2_user/authorize2"
	DefaultAPIURL  = "https://wbsapi.withings.net"
)

// Spec is Withings with WITHINGS_CLIENT_ID and WITHINGS_CLIENT_SECRET; WITHINGS_REDIRECT_URI names the redirect
// URI registered at Withings when it is not {BASE_URL}/callback.
var Spec = provider.Spec{
	ID:         ID,
	Configured: func(get func(string) string) bool { return get("WITHINGS_CLIENT_ID") != "" },
	New:        newProvider,
}

func newProvider(env provider.Env) provider.Provider {
	redirect := env.Get("WITHINGS_REDIRECT_URI")
	if redirect == "" {
		redirect = env.CallbackURL
	}
	info := provider.Info{
		ID: ID, Name: "Withings", Action: "Connect Withings",
		Note:  "Your Withings scale's weigh-ins, with body fat, through Withings' public API.",
		Setup: "withings",
		Paste: redirect != env.CallbackURL, // the redirect lands elsewhere: the person may paste where they landed
	}
	if env.Demo {
		info.Action = "Connect Withings (demo)"
		info.Note = "Demo mode: this connects to bodystats' built-in Withings emulator, with a made-up history."
	}
	signIn := NewSignIn(SignInConfig{
		ClientID: env.Get("WITHINGS_CLIENT_ID"), ClientSecret: env.Get("WITHINGS_CLIENT_SECRET"),
		AuthURL: orDefaultURL(env.Get("WITHINGS_AUTH_URL"), DefaultAuthURL), APIURL: orDefaultURL(env.Get("WITHINGS_API_URL"), DefaultAPIURL),
		RedirectURI: redirect, HTTPClient: env.HTTPClient,
	})
	return NewProvider(signIn, info, orDefaultURL(env.Get("WITHINGS_API_URL"), DefaultAPIURL))
}

func orDefaultURL(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
