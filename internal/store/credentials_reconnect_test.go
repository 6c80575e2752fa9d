package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestCredentialsOtherKeyNeedsReconnect opens a database whose tokens were sealed with another key (restored
// without its secret.key): Credentials says ErrNeedsReconnect, marks the account once, and keeps every weigh-in.
func TestCredentialsOtherKeyNeedsReconnect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	ctx := t.Context()
	old := mustOpenWith(t, path, Options{Key: bytes.Repeat([]byte{9}, 32)})
	a := backupAccount(t, old, "A", 20)
	if err := old.SaveCredentials(ctx, a.ID, Credentials{Kind: "oauth2", Token: "access-a", RefreshToken: "refresh-a"}); err != nil {
		t.Fatal(err)
	}
	old.Close()

	clk := newClock()
	db := mustOpenWith(t, path, Options{Key: testKey, Now: clk.Now})
	v := db.Version()
	_, err := db.Credentials(ctx, a.ID)
	if !errors.Is(err, ErrNeedsReconnect) || !errors.Is(err, errSealedAuth) {
		t.Fatalf("err = %v, want ErrNeedsReconnect wrapping the cause", err)
	}
	for _, secret := range []string{"access-a", "refresh-a"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q holds a token", err)
		}
	}
	marked, err := db.Account(ctx, a.ID)
	if err != nil || !marked.NeedsReconnect {
		t.Fatalf("account after a failed unseal = %+v, %v; want NeedsReconnect", marked, err)
	}
	if db.Version() == v {
		t.Error("marking the account did not bump the version: cached pages would not show Reconnect")
	}

	// A second read marks nothing new.
	clk.Advance(3600e9)
	if _, err := db.Credentials(ctx, a.ID); !errors.Is(err, ErrNeedsReconnect) {
		t.Fatalf("second read: %v", err)
	}
	again, _ := db.Account(ctx, a.ID)
	if !again.UpdatedAt.Equal(marked.UpdatedAt) {
		t.Errorf("updated_at moved from %v to %v on a second failed read", marked.UpdatedAt, again.UpdatedAt)
	}
	if n, err := db.CountMeasurements(ctx, a.SourceID); err != nil || n != 20 {
		t.Errorf("weigh-ins = %d, %v; want all 20 kept", n, err)
	}

	// Reconnecting saves tokens under this key: they open again.
	if err := db.SaveCredentials(ctx, a.ID, Credentials{Kind: "oauth2", Token: "new", RefreshToken: "new-r"}); err != nil {
		t.Fatal(err)
	}
	if c, err := db.Credentials(ctx, a.ID); err != nil || c.Token != "new" {
		t.Fatalf("after reconnect: %+v, %v", c, err)
	}
}

func TestCredentialsMissingStillNotFound(t *testing.T) {
	db := mustOpen(t)
	a := backupAccount(t, db, "A", 0)
	if _, err := db.Credentials(t.Context(), a.ID); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNeedsReconnect) {
		t.Fatalf("err = %v, want ErrNotFound only", err)
	}
}
