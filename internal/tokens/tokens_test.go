package tokens

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/store"
)

// fakeProvider rotates tokens like Fitbit: each refresh spends the refresh token it was given.
type fakeProvider struct {
	connect.Provider
	mu        sync.Mutex
	current   string // the one valid refresh token
	refreshes atomic.Int32
	reused    atomic.Int32
	gen       int
}

func (p *fakeProvider) Name() string { return "fitbit" }

func (p *fakeProvider) Refresh(_ context.Context, t connect.Token) (connect.Token, error) {
	p.refreshes.Add(1)
	time.Sleep(20 * time.Millisecond) // a token endpoint's latency: the window in which a second refresh could start
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.RefreshToken != p.current {
		p.reused.Add(1)
		return connect.Token{}, connect.ErrInvalidGrant
	}
	p.gen++
	p.current = "refresh-" + string(rune('a'+p.gen))
	return connect.Token{Kind: "oauth2", Token: "access-" + string(rune('a'+p.gen)), RefreshToken: p.current, Expiry: time.Now().Add(8 * time.Hour)}, nil
}

func (p *fakeProvider) Client(context.Context, connect.Token) *http.Client { return http.DefaultClient }

// failingSave wraps the store so SaveCredentials fails.
type failingSave struct{ *store.DB }

func (failingSave) SaveCredentials(context.Context, int64, store.Credentials) error {
	return errors.New("disk full")
}

func setup(t *testing.T, expiry time.Time) (*store.DB, store.Account, *fakeProvider) {
	t.Helper()
	key := make([]byte, 32)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"), store.Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	acct, err := db.UpsertAccount(t.Context(), store.Account{Provider: "fitbit", ExternalUserID: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveCredentials(t.Context(), acct.ID, store.Credentials{Kind: "oauth2", Token: "access-a", RefreshToken: "refresh-a", Expiry: expiry}); err != nil {
		t.Fatal(err)
	}
	return db, acct, &fakeProvider{current: "refresh-a"}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestFreshTokenIsNotRefreshed(t *testing.T) {
	db, acct, p := setup(t, time.Now().Add(time.Hour))
	m := New(db, []connect.Provider{p}, quiet)
	tok, err := m.Token(t.Context(), acct)
	if err != nil || tok.Token != "access-a" || p.refreshes.Load() != 0 {
		t.Errorf("Token = %q, %v after %d refreshes; want access-a without a refresh", tok.Token, err, p.refreshes.Load())
	}
}

// TestOneRefreshUnderConcurrency: many callers after expiry cause exactly one refresh, and nobody reuses the
// spent refresh token.
func TestOneRefreshUnderConcurrency(t *testing.T) {
	db, acct, p := setup(t, time.Now().Add(-time.Minute))
	m := New(db, []connect.Provider{p}, quiet)
	var wg sync.WaitGroup
	got := make([]string, 32)
	for i := range got {
		wg.Go(func() {
			tok, err := m.Token(context.Background(), acct)
			if err != nil {
				t.Error(err)
			}
			got[i] = tok.Token
		})
	}
	wg.Wait()
	if p.refreshes.Load() != 1 || p.reused.Load() != 0 {
		t.Fatalf("%d refreshes, %d with a spent token; want 1 and 0", p.refreshes.Load(), p.reused.Load())
	}
	for i, g := range got {
		if g != "access-b" {
			t.Fatalf("caller %d got %q, want access-b", i, g)
		}
	}
	creds, err := db.Credentials(t.Context(), acct.ID)
	if err != nil || creds.Token != "access-b" || creds.RefreshToken != "refresh-b" {
		t.Errorf("stored pair = %q/%q, %v; want access-b/refresh-b", creds.Token, creds.RefreshToken, err)
	}
}

// TestUnsavedTokenIsNotUsed: when the new pair cannot be stored, it is not handed out.
func TestUnsavedTokenIsNotUsed(t *testing.T) {
	db, acct, p := setup(t, time.Now().Add(-time.Minute))
	m := New(failingSave{db}, []connect.Provider{p}, quiet)
	tok, err := m.Token(t.Context(), acct)
	if err == nil || tok.Token != "" {
		t.Fatalf("Token = %q, %v; want an error and no token", tok.Token, err)
	}
	creds, _ := db.Credentials(t.Context(), acct.ID)
	if creds.Token != "access-a" {
		t.Errorf("stored token = %q, want the old access-a", creds.Token)
	}
}

// TestRefusedRefreshMarksReconnect: invalid_grant marks the account and says so; the data path stays intact.
func TestRefusedRefreshMarksReconnect(t *testing.T) {
	db, acct, p := setup(t, time.Now().Add(-time.Minute))
	p.current = "someone-else-spent-it"
	m := New(db, []connect.Provider{p}, quiet)
	_, err := m.Token(t.Context(), acct)
	if !errors.Is(err, ErrReconnect) {
		t.Fatalf("err = %v, want ErrReconnect", err)
	}
	got, _ := db.Account(t.Context(), acct.ID)
	if !got.NeedsReconnect {
		t.Error("account not marked for reconnect")
	}
}

// TestStaleTokenRefreshesOnce: a token refused by the API is refreshed even before its expiry, but only by the
// first of several callers that saw it refused.
func TestStaleTokenRefreshesOnce(t *testing.T) {
	db, acct, p := setup(t, time.Now().Add(time.Hour))
	m := New(db, []connect.Provider{p}, quiet)
	for range 3 {
		tok, err := m.token(t.Context(), acct, "access-a")
		if err != nil || tok.Token != "access-b" {
			t.Fatalf("token = %q, %v; want access-b", tok.Token, err)
		}
	}
	if p.refreshes.Load() != 1 {
		t.Errorf("%d refreshes, want 1", p.refreshes.Load())
	}
}
