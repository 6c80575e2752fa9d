package ihealth

import "github.com/bodystats/bodystats/internal/provider"

// Spec is iHealth with IHEALTH_CLIENT_ID, IHEALTH_CLIENT_SECRET, IHEALTH_SC, IHEALTH_SV and IHEALTH_API_URL.
var Spec = provider.Spec{
	ID:         ID,
	Configured: func(get func(string) string) bool { return get("IHEALTH_CLIENT_ID") != "" },
	New:        newProvider,
}

// ConsentURLSetting is not a CONTRACT.md variable: demo mode alone sets it, to serve the emulator's consent page
// under the app's address while the token calls and data go to the emulator's port.
const ConsentURLSetting = "IHEALTH_CONSENT_URL"

func newProvider(env provider.Env) provider.Provider {
	info := provider.Info{
		ID: ID, Name: "iHealth", Action: "Connect iHealth",
		Note:  "iHealth scales (Lina, Core, Nexus, Fit), through the iHealth Open API.",
		Setup: "ihealth",
	}
	if env.Demo {
		info.Action, info.Note = "Connect iHealth (demo)", "Demo mode: bodystats' built-in iHealth emulator, with the same made-up person."
	}
	signIn := NewSignIn(Config{
		ClientID: env.Get("IHEALTH_CLIENT_ID"), ClientSecret: env.Get("IHEALTH_CLIENT_SECRET"),
		SC: env.Get("IHEALTH_SC"), SV: env.Get("IHEALTH_SV"),
		APIURL: env.Get("IHEALTH_API_URL"), ConsentURL: env.Get(ConsentURLSetting),
		CallbackURL: env.CallbackURL, HTTPClient: env.HTTPClient,
	})
	return NewProvider(signIn, info)
}
