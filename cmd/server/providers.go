package main

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/registry"
)

// buildProviders returns the providers the configuration names, in the registry's order. In demo mode they are
// the built-in emulator, started here on a loopback port (see demo.go).
func buildProviders(cfg config.Config, key []byte, logger *slog.Logger) ([]provider.Provider, *demoServer, error) {
	entries := registry.Entries()
	env := provider.Env{Get: cfg.Get, CallbackURL: cfg.CallbackURL(), BaseURL: cfg.BaseURL, HTTPClient: &http.Client{Timeout: 30 * time.Second}}
	if demoMode(cfg) {
		demo, err := startDemo(cfg, key, logger)
		if err != nil {
			return nil, nil, err
		}
		return registry.BuildDemo(entries, demo.emu, demo.settings(cfg), env), demo, nil
	}
	ps := registry.Build(entries, env)
	if len(ps) == 0 {
		return nil, nil, errors.New("no provider is configured and demo mode is off")
	}
	return ps, nil, nil
}

// demoMode: asked for, or no provider's credentials are set at all.
func demoMode(cfg config.Config) bool {
	return cfg.Demo || !registry.Configured(registry.Entries(), cfg.Get)
}

// catalog describes every provider the registry knows, configured or not, for the setup page.
func catalog() []provider.Info {
	var out []provider.Info
	unset := func(string) string { return "" }
	for _, e := range registry.Entries() {
		out = append(out, e.New(provider.Env{Get: unset}).Info())
	}
	return out
}
