package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fakeHash = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5"

func tokenHash(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func TestPassword(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	if _, err := db.PasswordHash(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("fresh database: err = %v, want ErrNotFound", err)
	}
	if err := db.SetPassword(ctx, fakeHash, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := db.PasswordHash(ctx); err != nil || got != fakeHash {
		t.Fatalf("PasswordHash = %q, %v", got, err)
	}
	if err := db.SetPassword(ctx, "hunter2 in plaintext", nil); err == nil {
		t.Fatal("a value that is not an argon2id hash was stored")
	}
	if got, _ := db.PasswordHash(ctx); got != fakeHash {
		t.Fatalf("a refused password replaced the old one: %q", got)
	}
}

func TestSetPasswordEndsSessions(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	for _, b := range []byte{1, 2, 3} {
		if _, err := db.CreateSignIn(ctx, tokenHash(b), time.Hour, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetPassword(ctx, fakeHash, tokenHash(2)); err != nil {
		t.Fatal(err)
	}
	for b, want := range map[byte]error{1: ErrNotFound, 2: nil, 3: ErrNotFound} {
		if _, err := db.SignInSession(ctx, tokenHash(b)); !errors.Is(err, want) {
			t.Errorf("session %d after a change keeping 2: err = %v, want %v", b, err, want)
		}
	}
	if err := db.SetPassword(ctx, fakeHash, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignInSession(ctx, tokenHash(2)); !errors.Is(err, ErrNotFound) {
		t.Errorf("session 2 after a new password: err = %v, want ErrNotFound", err)
	}
}

func TestSignInExpiry(t *testing.T) {
	c := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "b.db"), Options{Key: testKey, Now: c.Now})
	ctx := t.Context()
	idle, absolute := time.Hour, 3*time.Hour
	if _, err := db.CreateSignIn(ctx, tokenHash(1), idle, absolute); err != nil {
		t.Fatal(err)
	}
	c.Advance(59 * time.Minute)
	if _, err := db.SignInSession(ctx, tokenHash(1)); err != nil {
		t.Fatalf("within the idle time: %v", err)
	}
	if err := db.TouchSignIn(ctx, tokenHash(1), idle); err != nil {
		t.Fatal(err)
	}
	c.Advance(59 * time.Minute) // 1h58m since sign-in, 59m since use
	s, err := db.SignInSession(ctx, tokenHash(1))
	if err != nil {
		t.Fatalf("a touched session ended early: %v", err)
	}
	if !s.IdleUntil.Equal(s.LastSeen.Add(idle)) {
		t.Errorf("IdleUntil %v, LastSeen %v", s.IdleUntil, s.LastSeen)
	}
	// Kept in use, it still ends at the absolute expiry.
	for range 3 {
		db.TouchSignIn(ctx, tokenHash(1), idle)
		c.Advance(30 * time.Minute)
	}
	if _, err := db.SignInSession(ctx, tokenHash(1)); !errors.Is(err, ErrExpired) {
		t.Fatalf("past the absolute expiry: err = %v, want ErrExpired", err)
	}
	if _, err := db.SignInSession(ctx, tokenHash(1)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an expired session stays stored: err = %v", err)
	}

	db.CreateSignIn(ctx, tokenHash(2), idle, absolute)
	c.Advance(idle)
	if _, err := db.SignInSession(ctx, tokenHash(2)); !errors.Is(err, ErrExpired) {
		t.Fatalf("idle for an hour: err = %v, want ErrExpired", err)
	}
}

func TestDeleteSignIns(t *testing.T) {
	c := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "b.db"), Options{Key: testKey, Now: c.Now})
	ctx := t.Context()
	for _, b := range []byte{1, 2, 3, 4} {
		db.CreateSignIn(ctx, tokenHash(b), time.Hour, 2*time.Hour)
	}
	if ok, err := db.DeleteSignIn(ctx, tokenHash(1)); !ok || err != nil {
		t.Fatalf("DeleteSignIn = %v, %v", ok, err)
	}
	if ok, _ := db.DeleteSignIn(ctx, tokenHash(1)); ok {
		t.Fatal("deleted twice")
	}
	if n, err := db.DeleteSignIns(ctx, tokenHash(4)); n != 2 || err != nil {
		t.Fatalf("DeleteSignIns(keep 4) = %d, %v; want 2", n, err)
	}
	if _, err := db.SignInSession(ctx, tokenHash(4)); err != nil {
		t.Fatalf("the kept session: %v", err)
	}
	c.Advance(2 * time.Hour)
	if err := db.PruneSignIns(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.CountSignIns(ctx); n != 0 || err != nil {
		t.Fatalf("%d sessions after pruning, want 0", n)
	}
	if _, err := db.CreateSignIn(ctx, []byte("short"), time.Hour, time.Hour); err == nil {
		t.Fatal("a token hash that is not 32 bytes was stored")
	}
}

func TestRehashPassword(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	db.SetPassword(ctx, fakeHash, nil)
	db.CreateSignIn(ctx, tokenHash(7), time.Hour, time.Hour)
	raised := strings.Replace(fakeHash, "t=1", "t=2", 1)
	if err := db.RehashPassword(ctx, fakeHash, raised); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.PasswordHash(ctx); got != raised {
		t.Fatalf("hash %q, want %q", got, raised)
	}
	if _, err := db.SignInSession(ctx, tokenHash(7)); err != nil {
		t.Fatalf("a rehash ended a session: %v", err)
	}
	if err := db.RehashPassword(ctx, fakeHash, raised); !errors.Is(err, ErrNotFound) {
		t.Fatalf("rehash of a hash no longer stored: err = %v, want ErrNotFound", err)
	}
}
