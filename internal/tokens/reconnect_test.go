package tokens

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/store"
)

// TestOtherKeyIsReconnect: tokens sealed with another key (a database restored without its secret.key) are a
// Reconnect, the same as a refused refresh, and the provider is never asked.
func TestOtherKeyIsReconnect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	old, err := store.Open(t.Context(), path, store.Options{Key: bytes.Repeat([]byte{1}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	acct, err := old.UpsertAccount(t.Context(), store.Account{Provider: "fitbit", ExternalUserID: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.SaveCredentials(t.Context(), acct.ID, store.Credentials{Kind: "oauth2", Token: "access-a", RefreshToken: "refresh-a", Expiry: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := store.Open(t.Context(), path, store.Options{Key: bytes.Repeat([]byte{2}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	p := &fakeProvider{current: "refresh-a"}
	m := New(db, []connect.Provider{p}, quiet)
	if _, err := m.Token(t.Context(), acct); !errors.Is(err, ErrReconnect) {
		t.Fatalf("err = %v, want ErrReconnect", err)
	}
	if _, err := m.Client(t.Context(), acct); !errors.Is(err, ErrReconnect) {
		t.Fatalf("Client: err = %v, want ErrReconnect", err)
	}
	if n := p.refreshes.Load(); n != 0 {
		t.Errorf("the provider was asked to refresh %d times with tokens that do not open", n)
	}
	if got, _ := db.Account(t.Context(), acct.ID); !got.NeedsReconnect {
		t.Error("account not marked for reconnect")
	}
}
