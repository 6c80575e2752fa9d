package store

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bodystats/bodystats/migrations"
)

func readUserVersion(t *testing.T, path string) int {
	t.Helper()
	v, err := userVersion(t.Context(), rawDB(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func tableExists(t *testing.T, path, name string) bool {
	t.Helper()
	var n int
	err := rawDB(t, path).QueryRowContext(t.Context(),
		`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func TestMigrateFromEmpty(t *testing.T) {
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("embedded migrations: %v, %v", files, err)
	}
	path := filepath.Join(t.TempDir(), "bodystats.db")
	db := mustOpenWith(t, path, Options{Key: testKey})
	db.Close()

	if got, want := readUserVersion(t, path), len(files); got != want {
		t.Errorf("user_version = %d, want %d", got, want)
	}
	for _, table := range []string{"accounts", "credentials", "measurements", "flows"} {
		if !tableExists(t, path, table) {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestMigrateReopenIsNoOp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	db := mustOpenWith(t, path, Options{Key: testKey})
	a, err := db.UpsertAccount(t.Context(), Account{Provider: "fitbit", ExternalUserID: "ABC"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := readUserVersion(t, path)

	db = mustOpenWith(t, path, Options{Key: testKey})
	if _, err := db.Account(t.Context(), a.ID); err != nil {
		t.Errorf("account after re-open: %v", err)
	}
	db.Close()
	if got := readUserVersion(t, path); got != before {
		t.Errorf("user_version after re-open = %d, want %d", got, before)
	}
}

func TestMigrateBrokenFileRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	good := fstest.MapFS{"0001_init.sql": {Data: []byte(`CREATE TABLE t (x INTEGER);`)}}
	mustOpenWith(t, path, Options{Key: testKey, Migrations: good}).Close()

	broken := fstest.MapFS{
		"0001_init.sql": good["0001_init.sql"],
		// The first statement succeeds; it must not survive the second one failing.
		"0002_broken.sql": {Data: []byte("CREATE TABLE u (y INTEGER);\nCREATE TABLEX v (z);")},
	}
	// context.Background: the driver runs argument-free SQL through a separate fast path when the context
	// cannot be cancelled, as at start-up; that is the path to cover.
	db, err := Open(context.Background(), path, Options{Key: testKey, Migrations: broken})
	if err == nil {
		db.Close()
		t.Fatal("Open with broken migration succeeded")
	}
	if !strings.Contains(err.Error(), "0002_broken.sql") {
		t.Errorf("error %q does not name the file", err)
	}
	if got, want := readUserVersion(t, path), 1; got != want {
		t.Errorf("user_version = %d, want %d", got, want)
	}
	if tableExists(t, path, "u") {
		t.Error("table u from the failed migration exists")
	}
}

func TestMigrateRefusesBadSets(t *testing.T) {
	file := &fstest.MapFile{Data: []byte(`CREATE TABLE IF NOT EXISTS t (x INTEGER);`)}
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
	}{
		{"Gap", fstest.MapFS{"0001_a.sql": file, "0003_c.sql": file}},
		{"Duplicate", fstest.MapFS{"0001_a.sql": file, "0001_b.sql": file}},
		{"StartsAtTwo", fstest.MapFS{"0002_b.sql": file}},
		{"BadName", fstest.MapFS{"0001_a.sql": file, "2_b.sql": file}},
		{"Empty", fstest.MapFS{"README.md": file}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bodystats.db")
			db, err := Open(t.Context(), path, Options{Key: testKey, Migrations: tc.fsys})
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded, want error")
			}
			if got := readUserVersion(t, path); got != 0 {
				t.Errorf("user_version = %d, want 0", got)
			}
		})
	}
}

func TestMigrateRefusesNewerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	file := &fstest.MapFile{Data: []byte(`CREATE TABLE IF NOT EXISTS t (x INTEGER);`)}
	two := fstest.MapFS{"0001_a.sql": file, "0002_b.sql": file}
	mustOpenWith(t, path, Options{Key: testKey, Migrations: two}).Close()

	one := fstest.MapFS{"0001_a.sql": file}
	db, err := Open(t.Context(), path, Options{Key: testKey, Migrations: one})
	if err == nil {
		db.Close()
		t.Fatal("Open of a newer database succeeded, want error")
	}
}

func TestMigrateIgnoresNonSQLFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	fsys := fstest.MapFS{
		"0001_a.sql":    {Data: []byte(`CREATE TABLE t (x INTEGER);`)},
		"migrations.go": {Data: []byte(`package migrations`)},
	}
	mustOpenWith(t, path, Options{Key: testKey, Migrations: fsys}).Close()
	if got, want := readUserVersion(t, path), 1; got != want {
		t.Errorf("user_version = %d, want %d", got, want)
	}
}
