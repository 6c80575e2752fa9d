package handlers_test

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/web"
)

// The password of the signed-in tests, and a weight that no sign-in page could carry by chance.
const (
	ownerPassword = "bathroom-scale-2026"
	secretWeight  = "83.71"
)

// cheapParams keep argon2id fast in tests; the encoding and the checks are the production ones.
var cheapParams = auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}

// authEnv is the app with one person's stored history and no provider, for the sign-in tests.
type authEnv struct {
	t    *testing.T
	app  *httptest.Server
	db   *store.DB
	logs *syncBuffer
	now  *atomic.Int64 // unix seconds: the store's and the throttle's clock
}

type authConfig struct {
	password string // "" for none
	baseURL  string // "" for the listener's loopback URL
	opts     handlers.AuthOptions
}

func newAuthEnv(t *testing.T, cfg authConfig) *authEnv {
	t.Helper()
	e := &authEnv{t: t, logs: &syncBuffer{}, now: &atomic.Int64{}}
	e.now.Store(time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC).Unix())
	clock := func() time.Time { return time.Unix(e.now.Load(), 0) }
	key := make([]byte, 32)
	rand.Read(key)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "bodystats.db"), store.Options{Key: key, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e.db = db
	src, err := db.CreateSource(t.Context(), store.Source{Kind: store.KindImport, Name: "weights.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpsertMeasurements(t.Context(), []store.Measurement{{SourceID: src.ID, Provider: "import", ExternalID: "a",
		Date: "2026-11-30", Time: "07:41:09", WeightKg: 83.71, Source: "import", Method: store.MethodImport}}); err != nil {
		t.Fatal(err)
	}
	if cfg.password != "" {
		e.setPassword(cfg.password)
	}

	e.app = httptest.NewUnstartedServer(nil)
	base := cfg.baseURL
	if base == "" {
		base = "http://" + e.app.Listener.Addr().String()
	}
	sessionKey := make([]byte, 64)
	rand.Read(sessionKey)
	opts := cfg.opts
	opts.Params = cheapParams
	opts.Now = clock
	h, err := handlers.New(handlers.Options{
		Store:      db,
		SessionKey: sessionKey,
		Templates:  web.Templates(),
		Static:     web.Static(),
		Logger:     slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		BaseURL:    base,
		Hosts:      []string{"127.0.0.1", "localhost", "bodystats.example"},
		Auth:       opts,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.app.Config.Handler = h.Routes()
	e.app.Start()
	t.Cleanup(func() { e.app.Close(); h.Close() })
	return e
}

func (e *authEnv) setPassword(pw string) {
	e.t.Helper()
	hash, err := auth.Hash(pw, cheapParams)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.SetPassword(e.t.Context(), hash, nil); err != nil {
		e.t.Fatal(err)
	}
}

func (e *authEnv) advance(d time.Duration) { e.now.Add(int64(d / time.Second)) }

// client is one browser: a cookie jar, redirects not followed.
type client struct {
	e      *authEnv
	c      *http.Client
	header http.Header // sent with every request (X-Forwarded-For, say)
}

func (e *authEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, header: http.Header{}, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status int
	body   string
	header http.Header
}

func (c *client) do(method, path string, form url.Values, header http.Header) answer {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(c.e.t.Context(), method, c.e.app.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func (c *client) get(path string) answer { return c.do("GET", path, nil, nil) }

func (c *client) post(path string, form url.Values) answer { return c.do("POST", path, form, nil) }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// form fetches a page and returns its CSRF field.
func (c *client) csrf(path string) string {
	c.e.t.Helper()
	a := c.get(path)
	m := csrfField.FindStringSubmatch(a.body)
	if a.status != http.StatusOK || m == nil {
		c.e.t.Fatalf("GET %s: %d, no csrf field\n%s", path, a.status, a.body)
	}
	return m[1]
}

// signin fills in the sign-in form with password.
func (c *client) signin(password string) answer {
	return c.post("/signin", url.Values{"csrf": {c.csrf("/signin")}, "password": {password}})
}

// cookie returns the value of the named cookie the browser holds for the app.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.e.app.URL)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.e.app.URL)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}
