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
	"github.com/bodystats/bodystats/internal/provider"
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
	if err := demo.restore(ctx, cfg, db); err != nil {
		return err
	}
	authOpts, err := authOptions(ctx, cfg, ln, db, logger)
	if err != nil {
		return err
	}
	if code := authOpts.SetupCode; code != "" && !authOpts.Exposed {
		authOpts.Announce = func() {
			logger.Warn("no password is set and a request came from beyond this machine (a proxy, or another host name): bodystats serves only the set-a-password page until one is set")
			printSetupCode(stdout, cfg, code)
		}
	}
	consent, consentPaths := demo.consent()
	h, err := handlers.New(handlers.Options{
		Store:            db,
		Providers:        providers,
		Catalog:          catalog(),
		SessionKey:       sessionKey,
		Templates:        web.Templates(),
		Static:           web.Static(),
		Logger:           logger,
		BaseURL:          cfg.BaseURL,
		Hosts:            cfg.Hosts(),
		Demo:             demo != nil,
		DemoConsent:      consent,
		DemoConsentPaths: consentPaths,
		Auth:             authOpts,
		UploadDir:        cfg.DataDir,
	})
	if err != nil {
		return err
	}
	defer h.Close()
	if err := importSavedTokens(ctx, cfg, demo != nil, providers, h, logger); err != nil {
		return err
	}
	h.SyncEvery(cfg.SyncEvery())

	srv := &http.Server{Handler: h.Routes(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	mode := ""
	if demo != nil {
		mode = " (demo mode: the providers are the built-in emulator)"
	}
	fmt.Fprintf(stdout, "bodystats is serving %s%s\n", cfg.BaseURL, mode)
	if !loopback(ln.Addr()) {
		logger.Warn("listening beyond this machine: every page needs the password; "+
			"keep BODYSTATS_ADDR on localhost unless a container or a trusted network needs otherwise", "addr", ln.Addr().String())
	}
	if authOpts.Exposed {
		printSetupCode(stdout, cfg, authOpts.SetupCode)
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

// importSavedTokens connects the grants a provider finds saved by hand in the settings (the 2013 post kept its
// OAuth 1.0a access token in config.ini as U_KEY and U_SECRET), so that history is reachable without signing in
// again. Their secrets are stored sealed.
func importSavedTokens(ctx context.Context, cfg config.Config, demo bool, ps []provider.Provider, h *handlers.Handler, logger *slog.Logger) error {
	type saver interface {
		SavedToken(get func(string) string) (connect.Token, bool)
	}
	for _, p := range ps {
		s, ok := p.(saver)
		if !ok {
			continue
		}
		tok, ok := s.SavedToken(cfg.Get)
		if !ok {
			continue
		}
		if demo {
			logger.Warn("the settings hold a saved access token; it is ignored in demo mode", "provider", p.Name())
			continue
		}
		tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		acct, err := h.ConnectToken(tctx, p.Name(), tok)
		cancel()
		if err != nil {
			// The provider may be down or the token revoked: the app still starts, with what it has stored.
			logger.Warn("could not connect the saved access token; connect again from the landing page", "provider", p.Name(), "err", err)
			continue
		}
		logger.Info("imported a saved access token", "provider", p.Name(), "account", acct.ID)
		h.StartSync(acct.ID)
	}
	return nil
}

// loopback reports whether the listener only accepts connections from this machine.
func loopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
