// Package store keeps bodystats' data in one SQLite file: accounts, sealed credentials, measurements and pending sign-ins.
package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/bodystats/bodystats/migrations"
)

// ErrNotFound is returned when the asked-for row does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrExpired is returned for a pending sign-in that is past its expiry.
var ErrExpired = errors.New("store: expired")

// Every connection gets these pragmas from the DSN: a PRAGMA run through db.Exec would reach one pooled
// connection only. _txlock=immediate makes BeginTx take the write lock up front, so a transaction that reads and
// then writes never fails with SQLITE_BUSY on the upgrade.
const dsnParams = "_foreign_keys=on&_journal_mode=WAL&_busy_timeout=5000&_txlock=immediate&_synchronous=NORMAL"

// maxOpenConns allows WAL's concurrent readers (an export streaming rows while a sync writes) while bounding file
// handles. Writers serialise on SQLite's lock, waiting up to the busy timeout.
const maxOpenConns = 8

// Options configures Open.
type Options struct {
	Key        []byte           // 32-byte AES-256 key for sealing secrets; required
	Migrations fs.FS            // nil: migrations.FS
	Now        func() time.Time // nil: time.Now
}

// DB is bodystats' SQLite database. It is safe for concurrent use.
type DB struct {
	db      *sql.DB
	aead    cipher.AEAD
	now     func() time.Time
	version atomic.Uint64 // bumped by every write; see Version
}

// Version changes whenever anything a page shows may have changed (every write bumps it, failed ones too), so a
// rendered page can be reused while it stays the same.
func (db *DB) Version() uint64 { return db.version.Load() }

func (db *DB) changed() { db.version.Add(1) }

// Open opens (creating if needed) the SQLite file at path and brings its schema up to date. The parent
// directory must exist.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	switch {
	case path == "":
		return nil, errors.New("store: open: empty path")
	case path == ":memory:":
		// Each pooled connection would get its own empty database.
		return nil, errors.New("store: open: in-memory databases are not supported; use a file")
	case strings.ContainsRune(path, '?'):
		// The driver splits the DSN at the first '?'.
		return nil, fmt.Errorf("store: open %q: path must not contain '?'", path)
	}
	aead, err := newAEAD(opts.Key)
	if err != nil {
		return nil, err
	}
	fsys := opts.Migrations
	if fsys == nil {
		fsys = migrations.FS
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}

	sqlDB, err := sql.Open("sqlite3", path+"?"+dsnParams)
	if err != nil {
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	sqlDB.SetMaxOpenConns(maxOpenConns)
	sqlDB.SetMaxIdleConns(maxOpenConns)
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: open %q: %w", path, err)
	}
	if err := migrate(ctx, sqlDB, fsys); err != nil {
		sqlDB.Close()
		return nil, err
	}
	// Health data and hashes: readable by their owner only, whatever umask or ready-made directory they got.
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			sqlDB.Close()
			return nil, fmt.Errorf("store: open %q: %w", path, err)
		}
	}
	return &DB{db: sqlDB, aead: aead, now: now}, nil
}

// Close closes the database. Closing the last connection checkpoints the WAL into the main file.
func (db *DB) Close() error {
	if err := db.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping runs a real query, so a health check fails when the file is unreadable, not only when the pool is closed.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// timeLayout is fixed width (no trimmed zeros), so stored timestamps compare correctly as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad timestamp %q: %w", s, err)
	}
	return t, nil
}

// validDate reports whether s is exactly YYYY-MM-DD and a real calendar day.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// validClock reports whether s is exactly HH:MM:SS (time.Parse alone accepts a one-digit hour).
func validClock(s string) bool {
	_, err := time.Parse(time.TimeOnly, s)
	return err == nil && len(s) == len(time.TimeOnly)
}
