// Package registry lists every provider bodystats can connect to. Adding a provider is its own package (its
// sign-in, client and Source, with a provider.Spec), its part of the emulator, and one line in Entries.
package registry

import (
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/ihealth"
	"github.com/bodystats/bodystats/internal/provider"
)

// Entry is one provider: how to build it, and how the demo points it at the emulator.
type Entry struct {
	provider.Spec
	// Demo registers the demo client with the emulator and returns the settings that point the provider at it.
	Demo func(*emulator.Emulator, emulator.Demo) map[string]string
	// DemoFront puts the provider first in demo mode.
	DemoFront bool
	// Restore, when set, gives the emulator back a grant a demo connection stored before a restart.
	Restore func(e *emulator.Emulator, d emulator.Demo, token, secret string)
}

// Entries is every provider, in the order the landing page offers them: the most useful first.
func Entries() []Entry {
	return []Entry{
		{Spec: googlehealth.Spec, Demo: (*emulator.Emulator).DemoGoogle},
		{Spec: fitbit.OAuth2Spec, Demo: (*emulator.Emulator).DemoFitbitOAuth2},
		{Spec: ihealth.Spec, Demo: (*emulator.Emulator).DemoIHealth},
		{Spec: fitbit.OAuth1Spec, Demo: (*emulator.Emulator).DemoFitbitOAuth1, DemoFront: true, Restore: (*emulator.Emulator).RestoreFitbitOAuth1}, // the 2013 flow: three clicks to a dashboard
	}
}

// Build returns the providers the settings configure, in Entries' order.
func Build(entries []Entry, env provider.Env) []provider.Provider {
	var out []provider.Provider
	for _, e := range entries {
		if e.Configured(env.Get) {
			out = append(out, e.New(env))
		}
	}
	return out
}

// BuildDemo registers every provider that has a demo with the emulator and returns them, pointed at it. Each
// provider's settings are the demo's only: nothing configured for real use leaks in.
func BuildDemo(entries []Entry, emu *emulator.Emulator, d emulator.Demo, env provider.Env) []provider.Provider {
	var front, rest []provider.Provider
	for _, e := range entries {
		if e.Demo == nil {
			continue
		}
		settings := e.Demo(emu, d)
		penv := env
		penv.Demo = true
		penv.Get = func(name string) string { return settings[name] }
		if e.DemoFront {
			front = append(front, e.New(penv))
		} else {
			rest = append(rest, e.New(penv))
		}
	}
	return append(front, rest...)
}

// Configured reports whether any provider is configured for real use; without one the app runs in demo mode.
func Configured(entries []Entry, get func(string) string) bool {
	for _, e := range entries {
		if e.Configured(get) {
			return true
		}
	}
	return false
}
