package tokens

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/withings"
)

// withingsClock is the emulator's, the sign-in's and the manager's clock.
type withingsClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *withingsClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *withingsClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type withingsRig struct {
	emu  *emulator.Emulator
	srv  *httptest.Server
	clk  *withingsClock
	sign *withings.SignIn
	db   *store.DB
	acct store.Account
	tok  connect.Token
}

var withingsRequest = regexp.MustCompile(`name="request" value="([0-9a-f]+)"`)

// newWithingsRig connects the demo Withings user through the consent page and stores the pair.
func newWithingsRig(t *testing.T) *withingsRig {
	t.Helper()
	clk := &withingsClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	emu := emulator.New(emulator.Options{Now: clk.Now, Days: 30, Today: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	emu.SetWithings(emulator.WithingsOptions{RateLimit: 1 << 20})
	const redirect = "https://forward.example.org/cb"
	emu.AddWithingsClient("wcid", "wsecret", redirect)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	r := &withingsRig{emu: emu, srv: srv, clk: clk}
	r.sign = withings.NewSignIn(withings.SignInConfig{ClientID: "wcid", ClientSecret: "wsecret", AuthURL: srv.URL + "/oauth2_user/authorize2",
		APIURL: srv.URL, RedirectURI: redirect, Now: clk.Now})

	authURL, pending, err := r.sign.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := withingsRequest.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no consent form: %s", page)
	}
	resp, err = browser.PostForm(srv.URL+"/oauth2_user/authorize2", url.Values{"request": {string(m[1])}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if r.tok, err = r.sign.Complete(t.Context(), pending, connect.ParseCallback(loc.Query())); err != nil {
		t.Fatal(err)
	}

	r.db, err = store.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.db.Close() })
	if r.acct, err = r.db.UpsertAccount(t.Context(), store.Account{Provider: withings.ID, ExternalUserID: r.tok.UserID}); err != nil {
		t.Fatal(err)
	}
	if err := r.db.SaveCredentials(t.Context(), r.acct.ID, toCredentials(r.tok)); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *withingsRig) manager(st Store) *Manager {
	m := New(st, []connect.Provider{r.sign}, quiet)
	m.now = r.clk.Now
	return m
}

// getmeas sends one measure request through the manager's client; status is 0 when it succeeded.
func (r *withingsRig) getmeas(t *testing.T, m *Manager) (int, error) {
	t.Helper()
	hc, err := m.Client(context.Background(), r.acct)
	if err != nil {
		return 0, err
	}
	_, err = withings.NewClient(hc, r.srv.URL).GetMeas(context.Background(), withings.MeasQuery{Types: []int{withings.TypeHeight}})
	var se *withings.StatusError
	if errors.As(err, &se) {
		return se.Status, nil
	}
	return 0, err
}

// TestWithingsOneRefreshUnderConcurrency: many requests after expiry cause one refresh and no dead grant.
func TestWithingsOneRefreshUnderConcurrency(t *testing.T) {
	r := newWithingsRig(t)
	m := r.manager(r.db)
	r.clk.Add(3*time.Hour + time.Second)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if status, err := r.getmeas(t, m); err != nil || status != 0 {
				t.Errorf("status %d, %v", status, err)
			}
		})
	}
	wg.Wait()
	if _, refreshes, refusals, limited, _ := r.emu.WithingsStats(); refreshes != 1 || refusals != 0 || limited != 0 {
		t.Fatalf("%d refreshes, %d refusals, %d 601s; want 1, 0, 0", refreshes, refusals, limited)
	}
}

// TestWithingsRotationChainOverManySyncs: each refresh rotates the pair, the stored pair is always the newest,
// and the chain never breaks.
func TestWithingsRotationChainOverManySyncs(t *testing.T) {
	r := newWithingsRig(t)
	m := r.manager(r.db)
	seen := map[string]bool{r.tok.RefreshToken: true}
	for i := range 40 {
		r.clk.Add(3*time.Hour + time.Minute)
		for range 3 { // a sync of a few requests
			if status, err := r.getmeas(t, m); err != nil || status != 0 {
				t.Fatalf("sync %d: status %d, %v", i, status, err)
			}
		}
		creds, err := r.db.Credentials(t.Context(), r.acct.ID)
		if err != nil || seen[creds.RefreshToken] {
			t.Fatalf("sync %d: the stored refresh token was not rotated (%v)", i, err)
		}
		seen[creds.RefreshToken] = true
	}
	if _, refreshes, refusals, _, _ := r.emu.WithingsStats(); refreshes != 40 || refusals != 0 {
		t.Fatalf("%d refreshes, %d refusals; want 40 and 0", refreshes, refusals)
	}
}

// TestWithingsUnsavedRefreshKeepsTheOldTokenWorking: the refresh succeeds at Withings but the store fails. The
// new access token is never used, so the old refresh token stays valid for Withings' grace period and the next
// attempt refreshes with it: the app never ends up holding only a dead token.
func TestWithingsUnsavedRefreshKeepsTheOldTokenWorking(t *testing.T) {
	r := newWithingsRig(t)
	r.clk.Add(3*time.Hour + time.Second)
	if _, err := r.getmeas(t, r.manager(saveFails{r.db})); err == nil {
		t.Fatal("the request went out although the refreshed pair could not be stored")
	}
	if creds, _ := r.db.Credentials(t.Context(), r.acct.ID); creds.RefreshToken != r.tok.RefreshToken {
		t.Fatal("the stored pair changed")
	}
	r.clk.Add(11 * time.Second) // past the dedupe of identical token requests
	if status, err := r.getmeas(t, r.manager(r.db)); err != nil || status != 0 {
		t.Fatalf("the next attempt: status %d, %v", status, err)
	}
	creds, _ := r.db.Credentials(t.Context(), r.acct.ID)
	if a, _ := r.db.Account(t.Context(), r.acct.ID); creds.RefreshToken == r.tok.RefreshToken || a.NeedsReconnect {
		t.Fatalf("after recovery: rotated %t, needs reconnect %t", creds.RefreshToken != r.tok.RefreshToken, a.NeedsReconnect)
	}
	if _, refreshes, refusals, _, _ := r.emu.WithingsStats(); refreshes != 2 || refusals != 0 {
		t.Errorf("%d refreshes, %d refusals; want 2 and 0", refreshes, refusals)
	}
}

// TestWithingsDeadGrantMarksReconnect: past the grace period an unsaved rotation is a dead grant (503): the
// account is marked for reconnect, its data kept.
func TestWithingsDeadGrantMarksReconnect(t *testing.T) {
	r := newWithingsRig(t)
	r.clk.Add(3*time.Hour + time.Second)
	_, _ = r.getmeas(t, r.manager(saveFails{r.db}))
	r.clk.Add(8*time.Hour + time.Minute)
	if _, err := r.getmeas(t, r.manager(r.db)); !errors.Is(err, ErrReconnect) {
		t.Fatalf("got %v, want ErrReconnect", err)
	}
	if a, _ := r.db.Account(t.Context(), r.acct.ID); !a.NeedsReconnect {
		t.Error("the account is not marked for reconnect")
	}
}

// TestWithingsEarlyExpiryRefreshesOnce: Withings refuses an access token before its stated expiry (status 401
// inside an HTTP 200); the request is refreshed once and sent again, and succeeds.
func TestWithingsEarlyExpiryRefreshesOnce(t *testing.T) {
	r := newWithingsRig(t)
	m := r.manager(r.db)
	r.emu.WithingsExpireAccessTokens()
	if status, err := r.getmeas(t, m); err != nil || status != 0 {
		t.Fatalf("status %d, %v", status, err)
	}
	if _, refreshes, refusals, _, _ := r.emu.WithingsStats(); refreshes != 1 || refusals != 0 {
		t.Fatalf("%d refreshes, %d refusals; want 1 and 0", refreshes, refusals)
	}
}
