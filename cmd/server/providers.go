package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/fitbit/fitbittest"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
)

const providerOAuth1 = "fitbit-oauth1"

// demoConsumerKey is the demo's OAuth 1.0a client; the emulator's consent page shows it as the app's name.
const demoConsumerKey = "bodystats"

// demoServer is the built-in emulator serving on its own loopback port in demo mode.
type demoServer struct {
	emu    *fitbittest.Emulator
	srv    *http.Server
	url    string
	secret string // the demo consumer secret
}

// Close stops the emulator; a nil demoServer (not in demo mode) does nothing.
func (d *demoServer) Close() {
	if d != nil {
		d.srv.Close()
	}
}

// buildProviders returns the sign-in providers the configuration names. In demo mode that is the built-in
// emulator, started here on a loopback port and offered as the OAuth 1.0a Fitbit provider; its consent page is
// also served by the app itself (handlers.DemoConsentPrefix), so a browser that reaches the app reaches it.
// The demo consumer secret is derived from key, so that tokens stored by an earlier run stay valid.
func buildProviders(cfg config.Config, key []byte, logger *slog.Logger) ([]handlers.Provider, *demoServer, error) {
	httpClient := &http.Client{Timeout: 30 * time.Second}
	if cfg.DemoMode() {
		demo, err := startDemo(key, logger)
		if err != nil {
			return nil, nil, err
		}
		p := connect.NewOAuth1(connect.OAuth1Config{
			Name: providerOAuth1, ConsumerKey: demoConsumerKey, ConsumerSecret: demo.secret,
			APIURL: demo.url, WWWURL: cfg.BaseURL + handlers.DemoConsentPrefix, CallbackURL: cfg.CallbackURL(), HTTPClient: httpClient,
		})
		return []handlers.Provider{{
			Provider: p,
			Action:   "Connect Fitbit",
			Note:     "Demo mode: this connects to bodystats' built-in Fitbit emulator, with a made-up history. No account or internet needed.",
			APIURL:   demo.url,
		}}, demo, nil
	}

	var out []handlers.Provider
	if cfg.FitbitConsumerKey != "" {
		p := connect.NewOAuth1(connect.OAuth1Config{
			Name: providerOAuth1, ConsumerKey: cfg.FitbitConsumerKey, ConsumerSecret: cfg.FitbitConsumerSecret,
			APIURL: cfg.FitbitAPIURL, WWWURL: cfg.FitbitWWWURL, CallbackURL: cfg.CallbackURL(), HTTPClient: httpClient,
		})
		out = append(out, handlers.Provider{
			Provider: p,
			Action:   "Connect Fitbit",
			Note:     "OAuth 1.0a, as in 2013. Fitbit itself retired OAuth 1.0a in 2016; this works with Fitbit-compatible servers.",
			APIURL:   cfg.FitbitAPIURL,
		})
	}
	if len(out) == 0 {
		return nil, nil, errors.New("no provider is configured and demo mode is off")
	}
	return out, nil, nil
}

// startDemo starts the emulator on a loopback port.
func startDemo(key []byte, logger *slog.Logger) (*demoServer, error) {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("bodystats demo consumer secret"))
	secret := hex.EncodeToString(mac.Sum(nil))
	emu := fitbittest.New(fitbittest.Options{})
	emu.AddConsumer(demoConsumerKey, secret)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the demo emulator: %w", err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	return &demoServer{emu: emu, srv: srv, url: "http://" + ln.Addr().String(), secret: secret}, nil
}

// consent is the emulator's consent page for the app to serve; nil when not in demo mode.
func (d *demoServer) consent() http.Handler {
	if d == nil {
		return nil
	}
	return d.emu
}

// restore lets the emulator accept the demo connection stored by an earlier run, so the dashboard's Sync keeps
// working after a restart. Without one there is nothing to do.
func (d *demoServer) restore(ctx context.Context, db *store.DB) error {
	if d == nil {
		return nil
	}
	acct, err := db.ConnectedAccount(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	creds, err := db.Credentials(ctx, acct.ID)
	if err != nil {
		return err
	}
	if acct.Provider == providerOAuth1 && creds.Kind == "oauth1" {
		d.emu.RestoreAccessToken(demoConsumerKey, creds.Token, creds.Secret)
	}
	return nil
}
