package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var testKey = bytes.Repeat([]byte{0x42}, 32)

// mustOpen opens a fresh database file in a temporary directory, closed when the test ends.
func mustOpen(tb testing.TB) *DB {
	tb.Helper()
	return mustOpenWith(tb, filepath.Join(tb.TempDir(), "bodystats.db"), Options{Key: testKey})
}

func mustOpenWith(tb testing.TB, path string, opts Options) *DB {
	tb.Helper()
	db, err := Open(tb.Context(), path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// clock is an injectable Now that only moves when told to.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 14, 9, 26, 53, 589793238, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// rawDB opens the file directly, bypassing the store, to inspect what it wrote.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		path string
		key  []byte
	}{
		{"ShortKey", filepath.Join(dir, "a.db"), make([]byte, 16)},
		{"NoKey", filepath.Join(dir, "b.db"), nil},
		{"EmptyPath", "", testKey},
		{"Memory", ":memory:", testKey},
		{"QuestionMark", filepath.Join(dir, "c?.db"), testKey},
		{"MissingDir", filepath.Join(dir, "missing", "d.db"), testKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(t.Context(), tc.path, Options{Key: tc.key})
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded, want error")
			}
		})
	}
}

func TestPing(t *testing.T) {
	db := mustOpen(t)
	if err := db.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	db.Close()
	if err := db.Ping(context.Background()); err == nil {
		t.Fatal("Ping after Close succeeded, want error")
	}
}

// TestPragmas checks that every pooled connection got the DSN's pragmas, not only the first.
func TestPragmas(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		c, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		var mode string
		var fk, busy int
		if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || fk != 1 || busy != 5000 {
			t.Errorf("conn %d: journal_mode, foreign_keys, busy_timeout = %q, %d, %d; want wal, 1, 5000", i, mode, fk, busy)
		}
	}
}

func TestSentinelsAreDistinct(t *testing.T) {
	if errors.Is(ErrNotFound, ErrExpired) || errors.Is(ErrExpired, ErrNotFound) {
		t.Fatal("ErrNotFound and ErrExpired match each other")
	}
}
