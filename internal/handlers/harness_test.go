package handlers_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
	"github.com/bodystats/bodystats/web"
)

const (
	consumerKey    = "bodystats-test-consumer"
	consumerSecret = "consumer-secret-9f3b1c"
	clientID       = "bodystats-test-client"
	clientSecret   = "client-secret-7d21ae0c"
)

// tokenFault makes the emulator's token endpoints answer with this status and body instead.
type tokenFault struct {
	status int
	body   string
}

// env is the whole app on loopback: the emulator, the router over a real SQLite file, and a captured log.
type env struct {
	t    *testing.T
	emu  *emulator.Emulator
	api  *httptest.Server
	app  *httptest.Server
	db   *store.DB
	h    *handlers.Handler
	logs *syncBuffer
	now  *atomic.Int64 // the store's clock, unix seconds; tests move it to expire sign-ins

	tokenFault atomic.Pointer[tokenFault]
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newEnv(t *testing.T) *env { t.Helper(); return newEnvWith(t, emulator.Options{}, nil) }

// newEnvWith is newEnv over an emulator built with opts; more, when set, returns providers to offer after the
// usual three (it may register their clients with e.emu).
func newEnvWith(t *testing.T, opts emulator.Options, more func(e *env, penv provider.Env) []provider.Provider) *env {
	t.Helper()
	e := &env{t: t, logs: &syncBuffer{}, now: &atomic.Int64{}}
	e.now.Store(time.Now().Unix())
	e.emu = emulator.New(opts)
	e.emu.AddConsumer(consumerKey, consumerSecret)
	e.api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := e.tokenFault.Load(); f != nil && (r.URL.Path == "/token" || r.URL.Path == "/oauth2/token") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(f.status)
			w.Write([]byte(f.body))
			return
		}
		e.emu.ServeHTTP(w, r)
	}))
	t.Cleanup(e.api.Close)

	key := make([]byte, 32)
	rand.Read(key)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "bodystats.db"), store.Options{
		Key: key,
		Now: func() time.Time { return time.Unix(e.now.Load(), 0) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.db = db

	e.app = httptest.NewUnstartedServer(nil)
	base := "http://" + e.app.Listener.Addr().String()
	e.emu.AddOAuth2Client(clientID, clientSecret, base+"/callback")
	settings := map[string]string{
		"FITBIT_CONSUMER_KEY": consumerKey, "FITBIT_CONSUMER_SECRET": consumerSecret,
		"FITBIT_CLIENT_ID": clientID, "FITBIT_CLIENT_SECRET": clientSecret,
		"GOOGLE_CLIENT_ID": clientID, "GOOGLE_CLIENT_SECRET": clientSecret,
		"FITBIT_API_URL": e.api.URL, "FITBIT_WWW_URL": e.api.URL,
		"GOOGLE_AUTH_URL": e.api.URL + "/o/oauth2/v2/auth", "GOOGLE_TOKEN_URL": e.api.URL + "/token", "GOOGLE_HEALTH_API_URL": e.api.URL,
	}
	penv := provider.Env{Get: func(k string) string { return settings[k] }, CallbackURL: base + "/callback", BaseURL: base}
	providers := []provider.Provider{fitbit.OAuth1Spec.New(penv), fitbit.OAuth2Spec.New(penv), googlehealth.Spec.New(penv)}
	if more != nil {
		providers = append(providers, more(e, penv)...)
	}
	sessionKey := make([]byte, 64)
	rand.Read(sessionKey)
	h, err := handlers.New(handlers.Options{
		Store:         db,
		Providers:     providers,
		SessionKey:    sessionKey,
		Templates:     web.Templates(),
		Static:        web.Static(),
		Logger:        slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		BaseURL:       base,
		FirstSyncWait: 10 * time.Second,
		Sync:          syncer.Options{Backoff: time.Millisecond}, // retries without the production pauses
	})
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.app.Config.Handler = h.Routes()
	e.app.Start()
	t.Cleanup(func() { e.app.Close(); h.Close() })
	return e
}

// browser is a client with its own cookie jar that does not follow redirects, so each step can be checked.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type page struct {
	status   int
	body     string
	location string
}

func (b *browser) do(method, rawURL string, form url.Values) page {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(b.e.t.Context(), method, rawURL, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(data), location: resp.Header.Get("Location")}
}

// get fetches a path of the app (or an absolute URL).
func (b *browser) get(path string) page {
	if strings.HasPrefix(path, "/") {
		path = b.e.app.URL + path
	}
	return b.do(http.MethodGet, path, nil)
}

func (b *browser) post(path string, form url.Values) page {
	return b.do(http.MethodPost, b.e.app.URL+path, form)
}

// startLogin follows /login to the emulator's consent page and returns the request token it asks about.
func (b *browser) startLogin() string {
	t := b.e.t
	t.Helper()
	p := b.get("/login")
	if p.status != http.StatusFound {
		t.Fatalf("GET /login: status %d, want 302; body %s", p.status, p.body)
	}
	u, err := url.Parse(p.location)
	if err != nil || !strings.HasPrefix(p.location, b.e.api.URL+"/oauth/authorize") {
		t.Fatalf("GET /login redirects to %q, want the emulator's consent page", p.location)
	}
	consent := b.get(p.location)
	if consent.status != http.StatusOK || !strings.Contains(consent.body, "Allow") {
		t.Fatalf("consent page: status %d, body %s", consent.status, consent.body)
	}
	return u.Query().Get("oauth_token")
}

// decide answers the consent page and returns the callback URL the emulator redirects to.
func (b *browser) decide(token, decision string) string {
	t := b.e.t
	t.Helper()
	p := b.do(http.MethodPost, b.e.api.URL+"/oauth/authorize", url.Values{"oauth_token": {token}, "decision": {decision}})
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, b.e.app.URL+"/callback?") {
		t.Fatalf("consent %s: status %d, location %q", decision, p.status, p.location)
	}
	return p.location
}

var requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)

// consentOAuth2 follows /login?provider= to the emulator's OAuth 2.0 consent page and returns its URL and the
// form's hidden request field.
func (b *browser) consentOAuth2(provider string) (consentURL, request string) {
	t := b.e.t
	t.Helper()
	p := b.get("/login?provider=" + provider)
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, b.e.api.URL+"/") {
		t.Fatalf("GET /login?provider=%s: status %d to %q; body %s", provider, p.status, p.location, p.body)
	}
	consent := b.get(p.location)
	m := requestField.FindStringSubmatch(consent.body)
	if consent.status != http.StatusOK || m == nil {
		t.Fatalf("%s consent page: status %d\n%s", provider, consent.status, consent.body)
	}
	return p.location, html.UnescapeString(m[1])
}

// decideOAuth2 answers an OAuth 2.0 consent page, granting the given scopes, and returns the redirect.
func (b *browser) decideOAuth2(consentURL, request, decision string, scopes ...string) string {
	t := b.e.t
	t.Helper()
	u, _ := url.Parse(consentURL)
	u.RawQuery = ""
	p := b.do(http.MethodPost, u.String(), url.Values{"request": {request}, "scopes_shown": {"1"}, "scope": scopes, "decision": {decision}})
	if p.status != http.StatusFound || !strings.HasPrefix(p.location, b.e.app.URL+"/callback?") {
		t.Fatalf("consent %s: status %d, location %q, body %s", decision, p.status, p.location, p.body)
	}
	return p.location
}

// connectOAuth2 signs in with an OAuth 2.0 provider granting every scope, and waits for the first sync.
func (b *browser) connectOAuth2(provider string, scopes ...string) page {
	t := b.e.t
	t.Helper()
	consentURL, request := b.consentOAuth2(provider)
	p := b.get(b.decideOAuth2(consentURL, request, "allow", scopes...))
	if p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("%s callback: status %d, location %q, body %s", provider, p.status, p.location, p.body)
	}
	b.waitSync()
	return b.get("/")
}

// connect runs the whole sign-in, waits for the first sync to finish, and returns the dashboard.
func (b *browser) connect() page {
	t := b.e.t
	t.Helper()
	cb := b.decide(b.startLogin(), "allow")
	p := b.get(cb)
	if p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("callback: status %d, location %q, body %s", p.status, p.location, p.body)
	}
	b.waitSync()
	return b.get("/")
}

type syncStatus struct {
	State        string `json:"state"`
	Requests     int    `json:"requests"`
	Measurements int    `json:"measurements"`
	Message      string `json:"message"`
}

func (b *browser) status() syncStatus {
	p := b.get("/sync/status")
	var s syncStatus
	if err := json.Unmarshal([]byte(p.body), &s); err != nil {
		b.e.t.Fatalf("GET /sync/status: %v in %q", err, p.body)
	}
	return s
}

// waitSync polls /sync/status until the sync is no longer running.
func (b *browser) waitSync() syncStatus {
	ctx, cancel := context.WithTimeout(b.e.t.Context(), 20*time.Second)
	defer cancel()
	for {
		s := b.status()
		if s.State != "running" && s.State != "waiting" {
			return s
		}
		select {
		case <-ctx.Done():
			b.e.t.Fatalf("sync still %s after 20s: %+v", s.State, s)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
