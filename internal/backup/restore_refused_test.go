package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/bodystats/bodystats/internal/datadir"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/migrations"
)

// TestRestoreRefused: each refused restore leaves the database, its -wal and the directory as they were.
func TestRestoreRefused(t *testing.T) {
	good := func(t *testing.T) string {
		src := filepath.Join(t.TempDir(), "src.db")
		seed(t, src, keyA, nil, 500, 400, "")
		return snapshot(t, src, keyA, nil)
	}
	fewer := fstest.MapFS{} // this "program" knows one migration less than the snapshot
	entries, _ := fs.ReadDir(migrations.FS, ".")
	for _, e := range entries {
		if e.Name() != entries[len(entries)-1].Name() || filepath.Ext(e.Name()) != ".sql" {
			b, _ := fs.ReadFile(migrations.FS, e.Name())
			fewer[e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	tests := []struct {
		name   string
		source func(t *testing.T) string
		fsys   fs.FS
		hold   bool // a server holds the data directory
		want   error
	}{
		{"Truncated", func(t *testing.T) string { return truncated(t, good(t)) }, nil, false, store.ErrDamaged},
		{"NotSQLite", func(t *testing.T) string { return write(t, []byte("date,weight_kg\n2024-01-01,80\n")) }, nil, false, store.ErrNotSQLite},
		{"NewerSchema", good, fewer, false, store.ErrNewerSchema},
		{"ServerRunning", good, nil, true, ErrServerRunning},
		{"LiveCopy", func(t *testing.T) string {
			s := good(t)
			os.WriteFile(s+"-wal", []byte("frames"), 0o600)
			return s
		}, nil, false, ErrLiveCopy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			live := filepath.Join(dir, "bodystats.db")
			seed(t, live, keyA, nil, 0, 60, "tok")
			// Keep a handle open so the database has a -wal, as under a running server.
			db, err := store.Open(t.Context(), live, store.Options{Key: keyA})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.UpsertMeasurements(t.Context(), nil); err != nil {
				t.Fatal(err)
			}
			if tt.hold {
				l, err := datadir.Acquire(dir, datadir.Shared)
				if err != nil {
					t.Fatal(err)
				}
				defer l.Release()
			}
			before := snapshotDir(t, dir)
			src := tt.source(t)
			o := opts(dir, keyA)
			o.Migrations = tt.fsys
			keyAsked := false
			o.Key = func() ([]byte, error) { keyAsked = true; return keyA, nil }
			_, err = Restore(context.Background(), src, o)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if keyAsked {
				t.Error("the key was loaded for a refused restore")
			}
			if after := snapshotDir(t, dir); !equalDirs(before, after) {
				t.Errorf("the data directory changed:\nbefore %v\nafter  %v", names(before), names(after))
			}
			db.Close()
			if n, _ := count(t, live, keyA); n != 60 {
				t.Errorf("the database holds %d weigh-ins, want its 60", n)
			}
		})
	}
}

func truncated(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return write(t, b[:len(b)*2/3])
}

func write(t *testing.T, b []byte) string {
	p := filepath.Join(t.TempDir(), "file.db")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// snapshotDir reads every file in dir (the lock file aside: it is empty and kept).
func snapshotDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == datadir.LockFile {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func equalDirs(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}

func names(m map[string][]byte) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s(%d)", k, len(v)))
	}
	slices.Sort(out)
	return out
}
