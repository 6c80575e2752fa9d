package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/secrets"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/web"
)

// Files in the data directory.
const (
	dbFile         = "bodystats.db"
	sealKeyFile    = "secret.key"  // seals tokens in the database
	sessionKeyFile = "session.key" // signs and encrypts the session cookie
)

// serve runs the web app until ctx is cancelled, then shuts down: in-flight requests finish, syncs store
// their current window, the database closes.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	if host, port, _ := net.SplitHostPort(cfg.Addr); port == "0" && !cfg.BaseURLSet {
		// Asked for any free port: the public URL names the one the listener got, on the host asked for.
		_, port, _ = net.SplitHostPort(ln.Addr().String())
		if cfg.BaseURL, err = config.BaseURLFromAddr(net.JoinHostPort(host, port)); err != nil {
			return err
		}
	}

	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	defer startBackups(ctx, cfg, db, logger)()
	sessionKey, err := secrets.LoadOrCreateKey(filepath.Join(cfg.DataDir, sessionKeyFile), 64)
	if err != nil {
		return err
	}

	providers, demo, err := buildProviders(cfg, sessionKey, logger)
	if err != nil {
		return err
	}
	defer demo.Close()
	if err := demo.restore(ctx, db); err != nil {
		return err
	}
	h, err := handlers.New(handlers.Options{
		Store:       db,
		Providers:   providers,
		SessionKey:  sessionKey,
		Templates:   web.Templates(),
		Static:      web.Static(),
		Logger:      logger,
		BaseURL:     cfg.BaseURL,
		Demo:        demo != nil,
		DemoConsent: demo.consent(),
	})
	if err != nil {
		return err
	}
	defer h.Close()
	if err := importConfigToken(ctx, cfg, demo != nil, h, logger); err != nil {
		return err
	}
	h.SyncEvery(cfg.SyncEvery())

	srv := &http.Server{Handler: h.Routes(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	mode := ""
	if demo != nil {
		mode = " (demo mode: the provider is the built-in Fitbit emulator)"
	}
	fmt.Fprintf(stdout, "bodystats is serving %s%s\n", cfg.BaseURL, mode)
	if !loopback(ln.Addr()) {
		logger.Warn("listening beyond this machine: anyone who can reach this address can see your weight history; "+
			"keep BODYSTATS_ADDR on localhost unless a container or a trusted network needs otherwise", "addr", ln.Addr().String())
	}
	logger.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "demo", demo != nil)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// openStore opens the database in the data directory, creating both (and the sealing key) on first run.
func openStore(ctx context.Context, cfg config.Config) (*store.DB, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	key, err := secrets.LoadOrCreateKey(filepath.Join(cfg.DataDir, sealKeyFile), 32)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, filepath.Join(cfg.DataDir, dbFile), store.Options{Key: key})
}

// importConfigToken connects the OAuth 1.0a access token that the 2013 post saved by hand in config.ini
// (U_KEY, U_SECRET), so that history is reachable without signing in again. Its secret is stored sealed.
func importConfigToken(ctx context.Context, cfg config.Config, demo bool, h *handlers.Handler, logger *slog.Logger) error {
	if cfg.FitbitUserKey == "" {
		return nil
	}
	if demo {
		logger.Warn("config.ini holds a Fitbit access token (U_KEY); it is ignored in demo mode")
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tok := connect.Token{Kind: "oauth1", Token: cfg.FitbitUserKey, Secret: cfg.FitbitUserSecret}
	acct, err := h.ConnectToken(ctx, providerOAuth1, tok)
	if err != nil {
		return fmt.Errorf("import the access token from config.ini: %w", err)
	}
	logger.Info("imported the access token from config.ini", "account", acct.ID)
	h.StartSync(acct.ID)
	return nil
}

// loopback reports whether the listener only accepts connections from this machine.
func loopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
