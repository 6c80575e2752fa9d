// Package handlers serves the app's pages and OAuth callback over a chi router.
package handlers

import (
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
	"github.com/bodystats/bodystats/internal/tokens"
)

// Options are the Handler's dependencies.
type Options struct {
	Store      *store.DB
	Providers  []provider.Provider // in the order the landing page offers them
	Catalog    []provider.Info     // every provider bodystats knows, configured or not, for the setup page
	SessionKey []byte              // 64 bytes: 32 to authenticate the session cookie, 32 to encrypt it
	Templates  fs.FS               // web.Templates()
	Static     fs.FS               // web.Static()
	Logger     *slog.Logger
	BaseURL    string   // the public URL; https makes the session cookie Secure
	Hosts      []string // host names the app answers to; nil: the loopback names and BaseURL's host
	Demo       bool

	// DemoConsent, in demo mode, is the emulator's consent page, served under DemoConsentPrefix so that a browser
	// that can reach the app can reach it too (in a container the emulator's own loopback port is out of reach).
	DemoConsent http.Handler
	// DemoConsentPaths are the consent pages' paths on the emulator, served under DemoConsentPrefix.
	DemoConsentPaths []string

	// FirstSyncWait is how long the callback waits for the newest weigh-ins before showing the dashboard.
	FirstSyncWait time.Duration
	// Sync tunes the sync engine; the zero value is the production behaviour.
	Sync syncer.Options

	// Auth tunes sign-in (auth_options.go); the zero value is the production behaviour.
	Auth AuthOptions
}

// Handler holds what every page needs.
type Handler struct {
	store        *store.DB
	providers    []provider.Provider
	catalog      []provider.Info
	sessions     *sessions.CookieStore
	templates    map[string]*template.Template
	static       fs.FS
	log          *slog.Logger
	demo         bool
	sync         *syncer.Runner
	tokens       *tokens.Manager
	firstWait    time.Duration
	consent      http.Handler
	consentPaths []string
	baseURL      string
	hosts        map[string]bool
	cache        pageCache
	auth         *authState
}

// New parses the templates (a missing or broken one fails here, not on a request) and builds the Handler.
func New(o Options) (*Handler, error) {
	if o.Store == nil || o.Templates == nil || o.Static == nil || o.Logger == nil {
		return nil, errors.New("handlers: store, templates, static files and logger are required")
	}
	if len(o.SessionKey) != 64 {
		return nil, errors.New("handlers: session key must be 64 bytes")
	}
	tmpl, err := parseTemplates(o.Templates)
	if err != nil {
		return nil, err
	}
	cs := sessions.NewCookieStore(o.SessionKey[:32], o.SessionKey[32:])
	// gorilla/sessions 1.4 defaults to SameSite=None and no HttpOnly; set every option. Lax (not Strict) so the
	// cookie comes back on the provider's top-level redirect to /callback.
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   30 * 24 * 3600,
		HttpOnly: true,
		Secure:   strings.HasPrefix(o.BaseURL, "https://"),
		SameSite: http.SameSiteLaxMode,
	}
	h := &Handler{
		store:        o.Store,
		providers:    o.Providers,
		catalog:      o.Catalog,
		sessions:     cs,
		templates:    tmpl,
		static:       o.Static,
		log:          o.Logger,
		demo:         o.Demo,
		firstWait:    o.FirstSyncWait,
		consent:      o.DemoConsent,
		consentPaths: o.DemoConsentPaths,
		baseURL:      strings.TrimRight(o.BaseURL, "/"),
	}
	h.hosts = map[string]bool{}
	hosts := o.Hosts
	if hosts == nil {
		hosts = []string{"localhost", "127.0.0.1", "::1"}
		if u, err := url.Parse(o.BaseURL); err == nil && u.Hostname() != "" {
			hosts = append(hosts, u.Hostname())
		}
	}
	for _, host := range hosts {
		h.hosts[strings.ToLower(host)] = true
	}
	h.auth = newAuthState(o.Auth, o.BaseURL, o.SessionKey)
	if h.firstWait == 0 {
		h.firstWait = 5 * time.Second
	}
	conns := make([]connect.Provider, len(o.Providers))
	for i, p := range o.Providers {
		conns[i] = p
	}
	h.tokens = tokens.New(o.Store, conns, o.Logger)
	h.sync = syncer.New(o.Store, syncProviders{h}, o.Sync, o.Logger)
	return h, nil
}

// Close stops running syncs; each stops after storing its current window.
func (h *Handler) Close() { h.sync.Close() }

func (h *Handler) provider(name string) (provider.Provider, bool) {
	for _, p := range h.providers {
		if p.Name() == name {
			return p, true
		}
	}
	return nil, false
}
