// Package datadir guards the data directory with a lock file: servers share it, a restore takes it alone.
package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// LockFile is the lock's name in the data directory. It stays there between runs: removing a lock file that
// others may have open would let two holders lock two different files.
const LockFile = "bodystats.lock"

// ErrBusy is returned when the lock is held in a way that excludes the one asked for.
var ErrBusy = errors.New("datadir: the data directory is in use")

// Mode is how a lock is held.
type Mode int

const (
	// Shared is held by every running server; several may hold it at once.
	Shared Mode = iota
	// Exclusive is held by a restore, which must be alone: no server may have the database open.
	Exclusive
)

// Lock is a held lock on a data directory. The kernel releases it when the process ends, also on kill -9.
type Lock struct{ f *os.File }

// Acquire takes the data directory's lock without waiting: it returns an error wrapping ErrBusy when another
// process (or another Lock in this one) holds it in a conflicting mode. dir must exist.
func Acquire(dir string, mode Mode) (*Lock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("datadir: open lock: %w", err)
	}
	how := syscall.LOCK_SH
	if mode == Exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, fmt.Errorf("%w: %s", ErrBusy, dir)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("datadir: lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

// Release lets go of the lock. Releasing a nil Lock does nothing.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	if err != nil {
		return fmt.Errorf("datadir: release lock: %w", err)
	}
	return nil
}
