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
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/registry"
	"github.com/bodystats/bodystats/internal/store"
)

// demoClientID is the demo's OAuth client at every emulated provider; the consent pages show it as the app's name.
const demoClientID = "bodystats-demo"

// demoServer is the built-in emulator serving on its own loopback port in demo mode.
type demoServer struct {
	emu    *emulator.Emulator
	srv    *http.Server
	url    string
	secret string // the demo clients' secret
}

// startDemo starts the emulator on a loopback port. The demo clients' secret is derived from key, so that tokens
// stored by an earlier run stay valid.
func startDemo(cfg config.Config, key []byte, logger *slog.Logger) (*demoServer, error) {
	d := &demoServer{secret: derive(key, "demo client secret")}
	d.emu = emulator.New(emulator.Options{Years: 10}) // a decade of history: the dashboard fills within seconds, newest first
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

// settings is how every emulated provider reaches the emulator: token endpoints and APIs on its own port, consent
// pages served by the app itself (handlers.DemoConsentPrefix), so a browser that reaches the app reaches them, in
// a container too.
func (d *demoServer) settings(cfg config.Config) emulator.Demo {
	return emulator.Demo{URL: d.url, ConsentURL: cfg.BaseURL + handlers.DemoConsentPrefix, ClientID: demoClientID, Secret: d.secret, Callback: cfg.CallbackURL()}
}

// Close stops the emulator; a nil demoServer (not in demo mode) does nothing.
func (d *demoServer) Close() {
	if d != nil {
		d.srv.Close()
	}
}

// consent is the emulator's consent pages for the app to serve, and their paths; nil when not in demo mode.
func (d *demoServer) consent() (http.Handler, []string) {
	if d == nil {
		return nil, nil
	}
	return d.emu, d.emu.ConsentPaths()
}

// restore lets the emulator accept the demo connections stored by an earlier run, so Sync keeps working after a
// restart, for the providers whose emulator part can take a stored grant back.
func (d *demoServer) restore(ctx context.Context, cfg config.Config, db *store.DB) error {
	if d == nil {
		return nil
	}
	accts, err := db.ConnectedAccounts(ctx)
	if err != nil {
		return err
	}
	for _, acct := range accts {
		if src, err := db.Source(ctx, acct.SourceID); err != nil {
			return err
		} else if src.Detail != store.DemoDetail {
			continue // a real account: its tokens never go to the emulator
		}
		for _, e := range registry.Entries() {
			if e.ID != acct.Provider || e.Restore == nil {
				continue
			}
			creds, err := db.Credentials(ctx, acct.ID)
			if errors.Is(err, store.ErrNeedsReconnect) {
				continue // restored without its key: the pages ask to reconnect
			}
			if err != nil {
				return err
			}
			e.Restore(d.emu, d.settings(cfg), creds.Token, creds.Secret)
		}
	}
	return nil
}
