package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/bodystats/bodystats/migrations"
)

// Why a snapshot was refused. CheckSnapshot wraps one of these with the detail.
var (
	ErrNotSQLite    = errors.New("store: not an SQLite database")
	ErrDamaged      = errors.New("store: the database is damaged or truncated")
	ErrNotBodystats = errors.New("store: not a bodystats database")
	ErrNewerSchema  = errors.New("store: the database is from a newer bodystats")
)

// Backup writes a consistent snapshot of the database to path, replacing path only once the snapshot is
// whole: it is written to a temporary file beside path (mode 0600), synced, then renamed over it.
//
// The snapshot is VACUUM INTO rather than the online backup API: it runs as one read transaction, so under
// WAL it sees one committed state and never blocks a sync that writes meanwhile (the backup API restarts its
// copy whenever another process writes, and may never finish during a long sync); it goes through the pool
// like any query; and it writes only live rows, so the file holds no free pages with deleted rows or old
// sealed tokens in them.
func (db *DB) Backup(ctx context.Context, path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	tmp := f.Name()
	f.Close()
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
			os.Remove(tmp + "-journal") // SQLite's, while VACUUM INTO fills the file
		}
	}()
	// VACUUM INTO accepts an existing empty file, and keeps its 0600 mode.
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	ok = true
	if err := syncFile(filepath.Dir(path)); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// syncFile flushes a file, or a directory's entries, to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Snapshot describes a database file that CheckSnapshot accepted.
type Snapshot struct {
	SchemaVersion int // PRAGMA user_version; at most this program's
	Measurements  int
}

// bodystatsTables are the tables the first migration creates; a database without them is not ours.
var bodystatsTables = []string{"accounts", "credentials", "measurements", "flows"}

// CheckSnapshot checks the SQLite file at path before it may replace the database: that it is SQLite, whole
// (its header's page count, PRAGMA integrity_check), a bodystats database, and of a schema version no newer
// than fsys's migrations (nil: this program's). An older version is fine: Open migrates it. The errors wrap
// ErrNotSQLite, ErrDamaged, ErrNotBodystats or ErrNewerSchema.
//
// Opening the file can change it (a hot journal is rolled back), so check a copy, not the only one.
func CheckSnapshot(ctx context.Context, path string, fsys fs.FS) (Snapshot, error) {
	if fsys == nil {
		fsys = migrations.FS
	}
	ms, err := loadMigrations(fsys)
	if err != nil {
		return Snapshot{}, err
	}
	if err := checkHeader(path); err != nil {
		return Snapshot{}, err
	}
	sqlDB, err := sql.Open("sqlite3", path+"?_busy_timeout=5000")
	if err != nil {
		return Snapshot{}, fmt.Errorf("store: check snapshot: %w", err)
	}
	defer sqlDB.Close()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return Snapshot{}, classify(err)
	}
	defer conn.Close()

	var result string
	if err := conn.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&result); err != nil {
		return Snapshot{}, classify(err)
	}
	if result != "ok" {
		return Snapshot{}, fmt.Errorf("%w: integrity check: %s", ErrDamaged, result)
	}
	for _, table := range bodystatsTables {
		var n int
		err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n)
		if err != nil {
			return Snapshot{}, classify(err)
		}
		if n == 0 {
			return Snapshot{}, fmt.Errorf("%w: it has no %s table", ErrNotBodystats, table)
		}
	}
	var s Snapshot
	if s.SchemaVersion, err = userVersion(ctx, conn); err != nil {
		return Snapshot{}, classify(err)
	}
	switch {
	case s.SchemaVersion < 1:
		return Snapshot{}, fmt.Errorf("%w: it has no schema version", ErrNotBodystats)
	case s.SchemaVersion > len(ms):
		return Snapshot{}, fmt.Errorf("%w: its schema version is %d, this program knows up to %d; restore it with that newer version",
			ErrNewerSchema, s.SchemaVersion, len(ms))
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM measurements`).Scan(&s.Measurements); err != nil {
		return Snapshot{}, classify(err)
	}
	return s, nil
}

// sqliteMagic opens every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// checkHeader reads the 100-byte header: the magic string, and a file at least as long as the page count the
// header records. SQLite itself reads missing trailing pages as absent, so a truncated file can pass an
// integrity check when the lost pages were at the end.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("store: check snapshot: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: check snapshot: %w", err)
	}
	var h [100]byte
	n, err := io.ReadFull(f, h[:])
	switch {
	case n == 0:
		return fmt.Errorf("%w: the file is empty", ErrNotSQLite)
	case !bytes.HasPrefix(h[:n], sqliteMagic[:min(n, len(sqliteMagic))]):
		return fmt.Errorf("%w: it does not start with the SQLite header", ErrNotSQLite)
	case err != nil:
		return fmt.Errorf("%w: the file ends inside its header (%d bytes)", ErrDamaged, n)
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	// The page count is valid only when the version-valid-for number matches the change counter.
	if binary.BigEndian.Uint32(h[92:96]) == binary.BigEndian.Uint32(h[24:28]) && info.Size() < pages*pageSize {
		return fmt.Errorf("%w: the file has %d bytes, its header promises %d pages of %d", ErrDamaged, info.Size(), pages, pageSize)
	}
	return nil
}

// classify maps SQLite's own verdicts on a file to the snapshot errors.
func classify(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB:
			return fmt.Errorf("%w: %w", ErrNotSQLite, err)
		case sqlite3.ErrCorrupt, sqlite3.ErrIoErr, sqlite3.ErrFormat:
			return fmt.Errorf("%w: %w", ErrDamaged, err)
		}
	}
	if strings.Contains(err.Error(), "malformed") {
		return fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	return fmt.Errorf("store: check snapshot: %w", err)
}

// Checkpoint folds the -wal of the closed database at path into the file itself, so the file alone holds
// every committed write, and closes it (the last close removes the -wal).
func Checkpoint(ctx context.Context, path string) error {
	sqlDB, err := sql.Open("sqlite3", path+"?_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	defer sqlDB.Close()
	var busy, logged, done int
	if err := sqlDB.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	if busy != 0 {
		return errors.New("store: checkpoint: the database is busy")
	}
	if err := sqlDB.Close(); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}

// AfterRestore readies a database that was just restored from a snapshot for this data directory: pending
// sign-ins of the copy are dropped (they belong to browser sessions of another time), and every account whose
// tokens do not open with this directory's key (a snapshot restored without its secret.key) is marked
// NeedsReconnect. It returns how many accounts need reconnecting. Measurements are never touched.
func (db *DB) AfterRestore(ctx context.Context) (reconnect int, err error) {
	defer db.changed()
	if _, err := db.db.ExecContext(ctx, `DELETE FROM flows`); err != nil {
		return 0, fmt.Errorf("store: after restore: %w", err)
	}
	// The ids first, then each account's credentials: Credentials writes the mark, which must not wait on
	// an open read of the same table.
	rows, err := db.db.QueryContext(ctx, `SELECT account_id FROM credentials ORDER BY account_id`)
	if err != nil {
		return 0, fmt.Errorf("store: after restore: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: after restore: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: after restore: %w", err)
	}
	for _, id := range ids {
		_, err := db.Credentials(ctx, id)
		switch {
		case errors.Is(err, ErrNeedsReconnect):
			reconnect++
		case err != nil:
			return reconnect, fmt.Errorf("store: after restore: %w", err)
		}
	}
	return reconnect, nil
}
