package backup

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/store"
)

// Snapshotter writes a consistent snapshot of the database to path, atomically (store.DB.Backup).
type Snapshotter interface {
	Backup(ctx context.Context, path string) error
}

// Options configures Run.
type Options struct {
	Dir      string        // {DATA_DIR}/backups; created 0700
	Every    time.Duration // time between backups; <= 0: Run returns at once
	Keep     Keep          // what pruning keeps
	DB       Snapshotter
	Logger   *slog.Logger
	Now      func() time.Time // nil: time.Now
	Location *time.Location   // where days and weeks begin; nil: time.Local
}

// retryAfter is the wait after a failed backup (a full disk, say), so a failure neither spins nor waits a day.
const retryAfter = 10 * time.Minute

// Run takes a backup whenever the newest one in Dir is Every old (at once when there is none, so a restart
// neither skips nor repeats one), prunes after each, and returns when ctx ends. A backup cut short by ctx or a
// crash leaves only a hidden temporary file, which the next Run removes; a finished one is complete.
func Run(ctx context.Context, o Options) {
	if o.Every <= 0 {
		return
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		o.Logger.Warn("scheduled backups are off: cannot create their directory", "dir", o.Dir, "err", err)
		return
	}
	removeTemporaries(o.Dir, o.Logger)
	for {
		wait, err := untilDue(o)
		if err != nil {
			o.Logger.Warn("scheduled backup", "err", err)
			wait = min(retryAfter, o.Every)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if _, err := Take(ctx, o); err != nil && ctx.Err() == nil {
			o.Logger.Warn("scheduled backup failed; trying again later", "err", err, "retry_in", min(retryAfter, o.Every).String())
			if !sleep(ctx, min(retryAfter, o.Every)) {
				return
			}
		}
	}
}

// untilDue is how long until the next backup is due: Every after the newest one, never negative.
func untilDue(o Options) (time.Duration, error) {
	fs, err := list(o.Dir)
	if err != nil || len(fs) == 0 {
		return 0, err
	}
	// Capped at Every: a newest backup dated in the future (the clock was set back) must not stop backups.
	return min(o.Every, max(0, fs[0].at.Add(o.Every).Sub(o.Now()))), nil
}

// Take writes one scheduled backup now and prunes the old ones; it returns the new file's path.
func Take(ctx context.Context, o Options) (string, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	start := time.Now()
	path := filepath.Join(o.Dir, Name(o.Now()))
	if err := o.DB.Backup(ctx, path); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	// Read it back: a backup that was never checked is a hope. One that fails is not kept under a backup's name.
	// A check stopped by shutdown says nothing against the file, which Backup finished.
	if _, err := store.CheckSnapshot(ctx, path, nil); err != nil && ctx.Err() == nil {
		os.Remove(path)
		return "", fmt.Errorf("backup: the new backup does not check: %w", err)
	}
	var size int64
	if info, err := os.Stat(path); err == nil {
		size = info.Size()
	}
	removed, err := Prune(o.Dir, o.Keep, o.Location)
	o.Logger.Info("backup written", "file", filepath.Base(path), "bytes", size, "took", time.Since(start).Round(time.Millisecond).String(), "pruned", len(removed))
	if err != nil {
		return path, err
	}
	return path, nil
}

// removeTemporaries deletes the hidden temporaries of backups a crash cut short: store.DB.Backup names them
// ".<name>.<random>.tmp", and SQLite writes a "-journal" beside one while it fills it.
func removeTemporaries(dir string, log *slog.Logger) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".bodystats-") && (strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".tmp-journal")) && e.Type().IsRegular() {
			if err := os.Remove(filepath.Join(dir, name)); err == nil {
				log.Info("removed an unfinished backup", "file", name)
			}
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
