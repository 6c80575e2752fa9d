package backup

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/store"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func openSeeded(t *testing.T) *store.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bodystats.db")
	seed(t, path, keyA, nil, 0, 20, "")
	db, err := store.Open(t.Context(), path, store.Options{Key: keyA})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestRunBacksUpAtOnce: with no backup yet, Run takes one at once, and removes what a crash left half-written.
func TestRunBacksUpAtOnce(t *testing.T) {
	db := openSeeded(t)
	dir := filepath.Join(t.TempDir(), "backups")
	os.MkdirAll(dir, 0o700)
	stale := filepath.Join(dir, ".bodystats-20261130T030000Z.db.123.tmp")
	os.WriteFile(stale, []byte("half"), 0o600)
	os.WriteFile(stale+"-journal", []byte("its journal"), 0o600)
	mine := filepath.Join(dir, ".bodystats-notes.txt")
	os.WriteFile(mine, []byte("not ours"), 0o600)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		Run(ctx, Options{Dir: dir, Every: time.Hour, Keep: DefaultKeep, DB: db, Logger: quiet})
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	var fs []file
	for time.Now().Before(deadline) {
		if fs, _ = list(dir); len(fs) > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if len(fs) != 1 {
		t.Fatalf("backups = %v, want one", fs)
	}
	s, err := store.CheckSnapshot(t.Context(), filepath.Join(dir, fs[0].name), nil)
	if err != nil || s.Measurements != 20 {
		t.Fatalf("the backup: %+v, %v", s, err)
	}
	for _, p := range []string{stale, stale + "-journal"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s of the unfinished backup is still there: %v", filepath.Base(p), err)
		}
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file that is no backup's temporary was removed: %v", err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("backups directory mode %v, want 0700", info.Mode().Perm())
	}
}

func TestUntilDue(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	o := Options{Dir: dir, Every: 24 * time.Hour, Now: func() time.Time { return now }}
	tests := []struct {
		name   string
		newest time.Time // zero: no backup
		want   time.Duration
	}{
		{"None", time.Time{}, 0},
		{"Fresh", now.Add(-2 * time.Hour), 22 * time.Hour},
		{"Overdue", now.Add(-30 * time.Hour), 0},
		{"FromTheFuture", now.Add(72 * time.Hour), 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				os.Remove(filepath.Join(dir, e.Name()))
			}
			if !tt.newest.IsZero() {
				os.WriteFile(filepath.Join(dir, Name(tt.newest)), nil, 0o600)
				os.WriteFile(filepath.Join(dir, Name(tt.newest.Add(-48*time.Hour))), nil, 0o600)
			}
			got, err := untilDue(o)
			if err != nil || got != tt.want {
				t.Errorf("untilDue = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestTakePrunes: each backup prunes by the policy.
func TestTakePrunes(t *testing.T) {
	db := openSeeded(t)
	dir := t.TempDir()
	now := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	o := Options{Dir: dir, Keep: Keep{Daily: 2}, DB: db, Logger: quiet, Location: time.UTC}
	for i := range 5 {
		at := now.AddDate(0, 0, i)
		o.Now = func() time.Time { return at }
		if _, err := Take(t.Context(), o); err != nil {
			t.Fatal(err)
		}
	}
	fs, _ := list(dir)
	if len(fs) != 2 || !fs[0].at.Equal(now.AddDate(0, 0, 4)) || !fs[1].at.Equal(now.AddDate(0, 0, 3)) {
		t.Errorf("kept %v, want the two newest", fs)
	}
}

func TestRunOff(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups")
	Run(t.Context(), Options{Dir: dir, Every: 0, Logger: quiet})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("with backups off, Run created %s", dir)
	}
}
