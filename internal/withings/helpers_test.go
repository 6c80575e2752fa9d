package withings

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
)

// clock is the protocol clock shared by the emulator and the sign-in.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const (
	testClientID = "wcid"
	testSecret   = "wsecret-not-a-real-one"
	testRedirect = "https://forward.example.org/bodystats/cb"
)

type harness struct {
	emu    *emulator.Emulator
	srv    *httptest.Server
	clk    *clock
	signIn *SignIn
}

// newHarness serves an emulator with a history of days days ending on 2026-11-30, registered with one client
// whose redirect URI is an https forwarding address, as Withings asks.
func newHarness(t testing.TB, days int, o emulator.WithingsOptions) *harness {
	t.Helper()
	clk := &clock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	emu := emulator.New(emulator.Options{Now: clk.Now, Days: days, Today: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	emu.SetWithings(o)
	emu.AddWithingsClient(testClientID, testSecret, "http://localhost:8080/callback", testRedirect)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	h := &harness{emu: emu, srv: srv, clk: clk}
	h.signIn = h.newSignIn(testSecret, testRedirect)
	return h
}

func (h *harness) newSignIn(secret, redirect string) *SignIn {
	return NewSignIn(SignInConfig{ClientID: testClientID, ClientSecret: secret, AuthURL: h.srv.URL + "/oauth2_user/authorize2",
		APIURL: h.srv.URL, RedirectURI: redirect, Now: h.clk.Now})
}

var requestField = regexp.MustCompile(`name="request" value="([0-9a-f]+)"`)

// consent opens the consent page at authURL and answers it; it returns the callback the browser would land on.
func (h *harness) consent(t testing.TB, authURL, decision string) connect.Callback {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := requestField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("consent page: HTTP %d %s", resp.StatusCode, page)
	}
	resp, err = noFollow.PostForm(h.srv.URL+"/oauth2_user/authorize2", url.Values{"request": {string(m[1])}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("decision: HTTP %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	au, _ := url.Parse(authURL)
	if got, want := loc.Scheme+"://"+loc.Host+loc.Path, au.Query().Get("redirect_uri"); got != want {
		t.Fatalf("redirected to %s, want %s", got, want)
	}
	return connect.ParseCallback(loc.Query())
}

// connect signs in through the consent page.
func (h *harness) connect(t testing.TB) connect.Token {
	t.Helper()
	authURL, pending, err := h.signIn.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cb := h.consent(t, authURL, "allow")
	tok, err := h.signIn.Complete(context.Background(), pending, cb)
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}
	return tok
}

// getmeasCalls are the measure requests the emulator answered.
func getmeasCalls(emu *emulator.Emulator) []emulator.WithingsCall {
	var out []emulator.WithingsCall
	for _, c := range emu.WithingsLog() {
		if c.Path == "/measure" {
			out = append(out, c)
		}
	}
	return out
}

// canned serves one fixed answer to every request.
func canned(t testing.TB, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}
