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
	"github.com/bodystats/bodystats/internal/fitbit/fitbittest"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
)

// The demo's OAuth clients; the emulator's consent pages show these as the app's name.
const (
	demoConsumerKey = "bodystats"
	demoClientID    = "bodystats-demo"
)

// demoServer is the built-in emulator serving on its own loopback port in demo mode.
type demoServer struct {
	emu          *fitbittest.Emulator
	srv          *http.Server
	url          string
	secret       string // the demo consumer secret
	clientSecret string // the demo OAuth 2.0 client secret
}

var demoLabels = labels{
	oauth1:     "Connect Fitbit",
	oauth1Note: "Demo mode: this connects to bodystats' built-in Fitbit emulator, with a made-up history. No account or internet needed.",
	fitbit:     "Try Fitbit's OAuth 2.0 sign-in (demo)",
	google:     "Try the Google Health sign-in (demo)",
}

// startDemo starts the emulator on a loopback port. Its client secrets are derived from key, so that tokens
// stored by an earlier run stay valid.
func startDemo(cfg config.Config, key []byte, logger *slog.Logger) (*demoServer, error) {
	d := &demoServer{secret: derive(key, "demo consumer secret"), clientSecret: derive(key, "demo client secret")}
	d.emu = fitbittest.New(fitbittest.Options{Years: 10}) // a decade of history: the dashboard fills within seconds, newest first
	d.emu.AddConsumer(demoConsumerKey, d.secret)
	d.emu.AddOAuth2Client(demoClientID, d.clientSecret, cfg.CallbackURL())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start the demo emulator: %w", err)
	}
	d.srv = &http.Server{Handler: d.emu, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	d.url = "http://" + ln.Addr().String()
	go d.srv.Serve(ln)
	return d, nil
}

func derive(key []byte, label string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("bodystats " + label))
	return hex.EncodeToString(mac.Sum(nil))
}

// providers offers every protocol the emulator speaks. The token endpoints and APIs are on the emulator's port;
// its consent pages are served by the app itself (handlers.DemoConsentPrefix), so a browser that reaches the app
// reaches them, in a container too.
func (d *demoServer) providers(cfg config.Config, hc *http.Client) []handlers.Provider {
	www := cfg.BaseURL + handlers.DemoConsentPrefix
	ep := endpoints{
		fitbitAPI: d.url, fitbitWWW: www,
		googleAuth: www + "/o/oauth2/v2/auth", googleToken: d.url + "/token", googleHealth: d.url,
	}
	cl := clients{
		consumerKey: demoConsumerKey, consumerSecret: d.secret,
		fitbitID: demoClientID, fitbitSecret: d.clientSecret,
		googleID: demoClientID, googleSecret: d.clientSecret,
	}
	ps := providerList(cfg.CallbackURL(), ep, cl, demoLabels, hc)
	// The 2013 flow is the demo's front door: three clicks from start to dashboard.
	return append(ps[len(ps)-1:], ps[:len(ps)-1]...)
}

// Close stops the emulator; a nil demoServer (not in demo mode) does nothing.
func (d *demoServer) Close() {
	if d != nil {
		d.srv.Close()
	}
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
	if errors.Is(err, store.ErrNeedsReconnect) {
		return nil // restored without its key: the dashboard asks to reconnect
	}
	if err != nil {
		return err
	}
	if acct.Provider == providerOAuth1 && creds.Kind == "oauth1" {
		d.emu.RestoreAccessToken(demoConsumerKey, creds.Token, creds.Secret)
	}
	return nil
}
