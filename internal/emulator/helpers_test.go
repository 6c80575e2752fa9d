package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
)

const (
	testKey    = "bodystats-test"
	testSecret = "s3cret&+/ key" // characters that percent-encoding must get right
)

// testClock is the emulator's protocol clock. It starts at the wall clock because the real client stamps its
// requests with time.Now; tests that move it sign their requests by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	emu   *Emulator
	srv   *httptest.Server
	cfg   *oauth1.Config
	clock *testClock
	nonce int
}

// newFixture serves an emulator on a testClock. With opts.Today unset the history ends on the clock's date in
// the user's zone, so "today" and the history agree.
func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	clock := &testClock{t: time.Now()}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	emu := New(opts)
	emu.AddConsumer(testKey, testSecret)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	cfg := &oauth1.Config{
		ConsumerKey:    testKey,
		ConsumerSecret: testSecret,
		CallbackURL:    "http://localhost:8080/callback?from=test",
		Endpoint: oauth1.Endpoint{
			RequestTokenURL: srv.URL + "/oauth/request_token",
			AuthorizeURL:    srv.URL + "/oauth/authorize",
			AccessTokenURL:  srv.URL + "/oauth/access_token",
		},
		HTTPClient: srv.Client(),
	}
	return &fixture{emu: emu, srv: srv, cfg: cfg, clock: clock}
}

// browser is a user agent that shows redirects instead of following them.
var browser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// consent gets a request token and answers the consent form with decision; it returns the redirect target.
func (f *fixture) consent(t *testing.T, decision string) (token, secret string, location *url.URL) {
	t.Helper()
	token, secret, err := f.cfg.RequestToken()
	if err != nil {
		t.Fatalf("request token: %v", err)
	}
	resp, err := browser.PostForm(f.srv.URL+"/oauth/authorize", url.Values{"oauth_token": {token}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("consent %s: got status %d, want 302", decision, resp.StatusCode)
	}
	location, err = url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return token, secret, location
}

// connect runs the whole browser flow and returns a signing API client.
func (f *fixture) connect(t *testing.T) *http.Client {
	t.Helper()
	token, secret, location := f.consent(t, "allow")
	gotToken, verifier, err := oauth1.ParseAuthorizationCallback(httptest.NewRequest(http.MethodGet, location.String(), nil))
	if err != nil {
		t.Fatal(err)
	}
	if gotToken != token {
		t.Fatalf("callback oauth_token: got %q, want the request token", gotToken)
	}
	access, accessSecret, err := f.cfg.AccessToken(token, secret, verifier)
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	return f.cfg.Client(t.Context(), oauth1.NewToken(access, accessSecret))
}

// apiClient is a signing client for an access token issued without the browser flow.
func (f *fixture) apiClient(t *testing.T) *http.Client {
	token, secret := f.emu.IssueAccessToken(testKey)
	return f.cfg.Client(t.Context(), oauth1.NewToken(token, secret))
}

// signedGet signs a GET by hand with the emulator's clock, for tests that move the clock away from time.Now.
func (f *fixture) signedGet(t *testing.T, token, secret, path string) *http.Response {
	t.Helper()
	f.nonce++
	r, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	signRequest(t, r, testKey, testSecret, token, secret, "n"+strconv.Itoa(f.nonce), f.clock.Now().Unix())
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// get performs a GET and decodes a JSON answer into v (when v is non-nil and the status is 200).
func get(t *testing.T, c *http.Client, u, acceptLanguage string, v any) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v in %s", u, err, body)
		}
	}
	return resp
}

// wantError checks a refusal's status and Fitbit error shape, and that it quotes no secret.
func wantError(t *testing.T, resp *http.Response, status int, errorType, fieldName string, secrets ...string) {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("got status %d, want %d (%s)", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != jsonContentType {
		t.Errorf("Content-Type: got %q, want %q", ct, jsonContentType)
	}
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || len(e.Errors) != 1 || e.Success {
		t.Fatalf("error body %s is not Fitbit's shape: %v", body, err)
	}
	if got := e.Errors[0]; got.ErrorType != errorType || got.FieldName != fieldName {
		t.Errorf("got errorType %q fieldName %q, want %q %q", got.ErrorType, got.FieldName, errorType, fieldName)
	}
	for _, s := range append(secrets, testSecret) {
		if s != "" && strings.Contains(string(body), s) {
			t.Errorf("error body quotes a secret: %s", body)
		}
	}
}
