package ihealth

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

const (
	testClient   = "ih-app"
	testSecret   = "ih secret&+/"
	testSC       = "SC-01"
	testSV       = "SV-W-01"
	testCallback = "http://app.invalid/callback"
)

// testToday is the last day of the emulator's history; syncs run at noon that day.
var testToday = time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC)

type fixture struct {
	emu    *emulator.Emulator
	srv    *httptest.Server
	signIn *SignIn
	prov   *Provider
}

// newFixture serves an emulator with a history of days (years when days is 0: two) and an iHealth app.
func newFixture(t *testing.T, days int, o emulator.IHealthOptions) *fixture {
	t.Helper()
	opts := emulator.Options{Today: testToday, Years: 2, Days: days}
	emu := emulator.New(opts)
	emu.AddIHealthClient(testClient, testSecret, testSC, testSV, testCallback)
	emu.SetIHealth(o)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	s := NewSignIn(Config{ClientID: testClient, ClientSecret: testSecret, SC: testSC, SV: testSV,
		APIURL: srv.URL, CallbackURL: testCallback, HTTPClient: srv.Client()})
	return &fixture{emu: emu, srv: srv, signIn: s, prov: NewProvider(s, provider.Info{ID: ID, Name: "iHealth"})}
}

var requestField = regexp.MustCompile(`name="request" value="([0-9a-f]+)"`)

// consent runs the browser's part: the consent page and the decision. It returns the callback's query.
func consent(t *testing.T, authURL, decision string) url.Values {
	t.Helper()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := requestField.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no consent form (HTTP %d):\n%s", resp.StatusCode, body)
	}
	u, _ := url.Parse(authURL)
	resp, err = browser.PostForm(u.Scheme+"://"+u.Host+u.Path, url.Values{"request": {string(m[1])}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("decision: HTTP %d %v", resp.StatusCode, err)
	}
	return loc.Query()
}

// connectAccount signs in and returns the token.
func (f *fixture) connectAccount(t *testing.T) connect.Token {
	t.Helper()
	authURL, pending, err := f.signIn.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := f.signIn.Complete(t.Context(), pending, connect.ParseCallback(consent(t, authURL, "allow")))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// source is a Source for the account with the given cursor, at noon on testToday.
func (f *fixture) source(t *testing.T, tok connect.Token, cursor []byte) *Source {
	t.Helper()
	s, err := f.prov.Source(provider.SourceEnv{
		HTTP: f.signIn.Client(t.Context(), tok), Account: provider.Account{ID: 1, UserID: tok.UserID}, Cursor: cursor,
		Now: func() time.Time { return testToday.Add(12 * time.Hour) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.(*Source)
}

// syncAll runs a Source to the end and returns its steps.
func syncAll(t *testing.T, s *Source) []provider.Step {
	t.Helper()
	var steps []provider.Step
	for range 1000 {
		st, err := s.Next(t.Context())
		if err != nil {
			t.Fatalf("Next after %d steps: %v", len(steps), err)
		}
		steps = append(steps, st)
		if st.Done {
			return steps
		}
	}
	t.Fatal("the sync never finished")
	return nil
}

func readingsOf(steps []provider.Step) []provider.Reading {
	var out []provider.Reading
	for _, s := range steps {
		out = append(out, s.Readings...)
	}
	return out
}

func lastCursor(steps []provider.Step) []byte {
	var c []byte
	for _, s := range steps {
		if s.Cursor != nil {
			c = s.Cursor
		}
	}
	return c
}

// fake serves canned token or data answers and counts requests.
type fake struct {
	status int
	body   string
	hits   int
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.hits++
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}
