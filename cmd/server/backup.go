package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/bodystats/bodystats/internal/backup"
	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/datadir"
	"github.com/bodystats/bodystats/internal/secrets"
	"github.com/bodystats/bodystats/internal/store"
)

// backupsDir holds the scheduled backups, inside the data directory.
const backupsDir = "backups"

// backupCommand is `backup PATH`: a consistent snapshot of the database, also while a server runs and syncs.
// PATH may be a directory, which gets a file named like the scheduled backups.
func backupCommand(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("backup takes one argument, the file to write: backup PATH")
	}
	dbPath := filepath.Join(cfg.DataDir, dbFile)
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("backup: there is no database at %s to back up", dbPath)
	}
	dst := args[0]
	if info, err := os.Stat(dst); err == nil && info.IsDir() {
		dst = filepath.Join(dst, backup.Name(time.Now()))
	}
	for _, f := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
		if sameFile(dst, f) {
			return fmt.Errorf("backup: %s is the database itself; name another file", args[0])
		}
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, dst); err != nil {
		return err
	}
	took := time.Since(start)
	// Read the snapshot back: a backup that was never checked is a hope, not a backup.
	s, err := store.CheckSnapshot(ctx, dst, nil)
	if err != nil {
		return fmt.Errorf("backup: the snapshot written to %s does not check: %w", dst, err)
	}
	info, err := os.Stat(dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d weigh-ins, %d bytes, in %s (checked: integrity ok, schema %d)\n",
		dst, s.Measurements, info.Size(), took.Round(time.Millisecond), s.SchemaVersion)
	return nil
}

// sameFile reports whether both paths name one existing file.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

// restoreCommand is `restore PATH`: the database replaced with the snapshot at PATH, once it checks.
func restoreCommand(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("restore takes one argument, the snapshot to restore: restore PATH")
	}
	r, err := backup.Restore(ctx, args[0], backup.RestoreOptions{
		DataDir: cfg.DataDir,
		DBFile:  dbFile,
		Key:     func() ([]byte, error) { return secrets.LoadOrCreateKey(filepath.Join(cfg.DataDir, sealKeyFile), 32) },
	})
	if err != nil {
		for _, refusal := range []error{backup.ErrServerRunning, backup.ErrLiveCopy, store.ErrNotSQLite, store.ErrDamaged, store.ErrNotBodystats, store.ErrNewerSchema} {
			if errors.Is(err, refusal) {
				return fmt.Errorf("restore refused, the database is unchanged: %w", err)
			}
		}
		return err
	}
	fmt.Fprintf(stdout, "restored %s: %d weigh-ins (schema %d)\n", args[0], r.Snapshot.Measurements, r.Snapshot.SchemaVersion)
	if r.Aside != "" {
		fmt.Fprintf(stdout, "the previous database is kept as %s\n", r.Aside)
	}
	if r.Reconnect > 0 {
		fmt.Fprintf(stdout, "%d connected account(s) must reconnect: their tokens were sealed with another %s; every weigh-in is kept\n",
			r.Reconnect, sealKeyFile)
	}
	return nil
}

// lockDataDir is the lock a server holds on its data directory for as long as it runs: other servers may
// share it, a restore may not.
func lockDataDir(dir string) (*datadir.Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	l, err := datadir.Acquire(dir, datadir.Shared)
	if errors.Is(err, datadir.ErrBusy) {
		return nil, fmt.Errorf("a restore is replacing the database in %s; start the server when it has finished", dir)
	}
	return l, err
}

// startBackups runs the scheduled backups until the returned stop is called (before the database closes).
func startBackups(ctx context.Context, cfg config.Config, db *store.DB, logger *slog.Logger) (stop func()) {
	daily, weekly := cfg.BackupRetention()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		backup.Run(ctx, backup.Options{
			Dir:    filepath.Join(cfg.DataDir, backupsDir),
			Every:  cfg.BackupEvery(),
			Keep:   backup.Keep{Daily: daily, Weekly: weekly},
			DB:     db,
			Logger: logger,
		})
	}()
	return func() { cancel(); <-done }
}
