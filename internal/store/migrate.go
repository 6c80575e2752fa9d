package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// migrationName is NNNN_name.sql; NNNN is the schema version the file produces.
var migrationName = regexp.MustCompile(`^([0-9]{4})_[a-z0-9_]+\.sql$`)

type migration struct {
	version int
	name    string
}

// loadMigrations lists the .sql files at the root of fsys and insists they are numbered 1, 2, 3... with no gap
// or duplicate: a missing file would otherwise leave a database at a version it never reached.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("store: migration %q: name must look like 0001_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1]) // four digits, cannot fail
		ms = append(ms, migration{version: v, name: e.Name()})
	}
	if len(ms) == 0 {
		return nil, errors.New("store: migrations: no .sql files")
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			if i > 0 && ms[i-1].version == m.version {
				return nil, fmt.Errorf("store: migrations: version %d used by both %q and %q", m.version, ms[i-1].name, m.name)
			}
			return nil, fmt.Errorf("store: migrations: expected version %d, found %q", i+1, m.name)
		}
	}
	return ms, nil
}

// migrate applies every migration above PRAGMA user_version. Re-running it is a no-op.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	current, err := userVersion(ctx, db)
	if err != nil {
		return err
	}
	if current > len(ms) {
		return fmt.Errorf("store: database schema version %d is newer than this program's (%d)", current, len(ms))
	}
	for _, m := range ms[current:] {
		if err := applyMigration(ctx, db, fsys, m); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration runs one file and sets user_version in the same transaction, so a failing file leaves neither
// its partial schema nor a new version behind. The version is read again under the write lock, in case another
// process migrated the file meanwhile.
func applyMigration(ctx context.Context, db *sql.DB, fsys fs.FS, m migration) error {
	body, err := fs.ReadFile(fsys, m.name)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	defer tx.Rollback()

	current, err := userVersion(ctx, tx)
	if err != nil {
		return err
	}
	if current >= m.version {
		return nil
	}
	if current != m.version-1 {
		return fmt.Errorf("store: migration %s: database is at version %d", m.name, current)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, err)
	}
	// PRAGMA takes no bound parameters; the version is an integer we parsed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("store: migration %s: set version: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: commit: %w", m.name, err)
	}
	return nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func userVersion(ctx context.Context, q queryRower) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}
