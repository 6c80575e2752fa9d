package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/bodystats/bodystats/internal/datadir"
	"github.com/bodystats/bodystats/internal/store"
)

// ErrServerRunning refuses a restore while a server holds the data directory.
var ErrServerRunning = errors.New("backup: a bodystats server is using the data directory; stop it, then restore")

// ErrLiveCopy refuses a file with a -wal beside it: a copy of a live database, whose last writes are in the
// -wal, not a snapshot.
var ErrLiveCopy = errors.New("backup: the file has a -wal file beside it, so it is a copy of a live database rather than a snapshot; make one with the backup command")

// RestoreOptions configures Restore.
type RestoreOptions struct {
	DataDir    string
	DBFile     string                 // the database's name in DataDir, "bodystats.db"
	Key        func() ([]byte, error) // the data directory's sealing key, loaded (or made) only once the snapshot passed its checks
	Migrations fs.FS                  // nil: this program's
	Now        func() time.Time       // nil: time.Now; names the file the previous database is kept as
}

// Restored says what Restore did.
type Restored struct {
	Snapshot  store.Snapshot // as found, before migrating
	Aside     string         // where the previous database is kept; "" when there was none
	Reconnect int            // accounts whose tokens were sealed with another key and must reconnect
}

// Restore replaces the database with the snapshot at src. Everything that can refuse happens before the
// database is touched: the lock (no server may hold the data directory), the checks of store.CheckSnapshot on
// a private copy, migrating that copy to this program's schema and marking accounts whose tokens do not open
// with this directory's key. Then the current database is checkpointed (its -wal folded in), kept as
// DBFile.before-restore-<time>, and the copy renamed over it: no -wal of the old file is left to be replayed
// onto the new one, and at every instant DBFile is one whole database.
func Restore(ctx context.Context, src string, o RestoreOptions) (Restored, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
		return Restored{}, fmt.Errorf("backup: restore: %w", err)
	}
	lock, err := datadir.Acquire(o.DataDir, datadir.Exclusive)
	if errors.Is(err, datadir.ErrBusy) {
		return Restored{}, fmt.Errorf("%w (%s)", ErrServerRunning, o.DataDir)
	}
	if err != nil {
		return Restored{}, fmt.Errorf("backup: restore: %w", err)
	}
	defer lock.Release()

	tmp, err := copyIn(src, o.DataDir)
	if err != nil {
		return Restored{}, err
	}
	defer removeDB(tmp)
	var r Restored
	if r.Snapshot, err = store.CheckSnapshot(ctx, tmp, o.Migrations); err != nil {
		return Restored{}, fmt.Errorf("backup: restore %s: %w", src, err)
	}
	if r.Reconnect, err = prepare(ctx, tmp, o); err != nil {
		return Restored{}, err
	}

	db := filepath.Join(o.DataDir, o.DBFile)
	if r.Aside, err = setAside(ctx, db, o.Now()); err != nil {
		return Restored{}, err
	}
	if err := os.Rename(tmp, db); err != nil {
		return Restored{}, fmt.Errorf("backup: restore: swap: %w", err)
	}
	if err := syncPath(o.DataDir); err != nil {
		return r, fmt.Errorf("backup: restore: %w", err)
	}
	return r, nil
}

// copyIn copies src to a private 0600 file in dir (the same file system, so it can be renamed into place).
func copyIn(src, dir string) (string, error) {
	if info, err := os.Stat(src + "-wal"); err == nil && info.Size() > 0 {
		return "", fmt.Errorf("%w (%s-wal)", ErrLiveCopy, src)
	}
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("backup: restore: %w", err)
	}
	defer in.Close()
	if info, err := in.Stat(); err != nil || !info.Mode().IsRegular() {
		return "", fmt.Errorf("backup: restore: %s is not a file", src)
	}
	out, err := os.CreateTemp(dir, ".restore-*.db")
	if err != nil {
		return "", fmt.Errorf("backup: restore: %w", err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("backup: restore: copy %s: %w", src, err)
	}
	return out.Name(), nil
}

// prepare opens the copy as the server would (migrating an older schema), readies it for this data directory,
// and closes it, which folds its -wal back in.
func prepare(ctx context.Context, path string, o RestoreOptions) (int, error) {
	key, err := o.Key()
	if err != nil {
		return 0, fmt.Errorf("backup: restore: %w", err)
	}
	db, err := store.Open(ctx, path, store.Options{Key: key, Migrations: o.Migrations})
	if err != nil {
		return 0, fmt.Errorf("backup: restore: %w", err)
	}
	n, err := db.AfterRestore(ctx)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("backup: restore: %w", err)
	}
	if info, err := os.Stat(path + "-wal"); err == nil && info.Size() > 0 {
		return 0, fmt.Errorf("backup: restore: the restored copy kept a -wal after closing")
	}
	if err := syncPath(path); err != nil {
		return 0, fmt.Errorf("backup: restore: %w", err)
	}
	return n, nil
}

// setAside keeps the current database (if any) as db.before-restore-<time>, self-contained: its -wal is
// checkpointed into it first. The file is hard-linked, so db itself stays in place until the swap replaces it;
// a -wal that could not be checkpointed (a damaged database) moves along with it.
func setAside(ctx context.Context, db string, now time.Time) (string, error) {
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		removeSidecars(db)
		return "", nil
	}
	// A damaged database may not checkpoint; its -wal then moves along below.
	_ = store.Checkpoint(ctx, db)
	aside := db + ".before-restore-" + now.UTC().Format(nameLayout)
	if err := os.Link(db, aside); err != nil {
		return "", fmt.Errorf("backup: restore: keep the current database: %w", err)
	}
	if info, err := os.Stat(db + "-wal"); err == nil && info.Size() > 0 {
		if err := os.Rename(db+"-wal", aside+"-wal"); err != nil {
			return "", fmt.Errorf("backup: restore: keep the current database's -wal: %w", err)
		}
	}
	removeSidecars(db)
	return aside, nil
}

// removeDB removes a database file and its sidecars; used on the private copy when a restore stops.
func removeDB(path string) {
	os.Remove(path)
	removeSidecars(path)
	os.Remove(path + "-journal")
}

// removeSidecars removes a closed WAL database's index and (emptied or moved) log.
func removeSidecars(db string) {
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
