// Package secrets creates and loads the app's key files and keeps secret values out of logs.
package secrets

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// LoadOrCreateKey returns the key stored in path, creating it with size
// random bytes and mode 0600 when it does not exist (and its parent directory
// with 0700). It refuses a key file readable or writable by group or others,
// with a message that says how to fix it, and a key of the wrong size.
//
// The file holds the key as one line of standard base64, so it can be backed
// up, compared or moved into an environment variable as text.
//
// Creation is exclusive, like O_EXCL: the key is written in full to a
// temporary file that is then hard-linked to path, which fails if path
// exists. Two processes starting at once therefore agree on one key, and
// neither can read a half-written file. Where hard links are not supported
// it falls back to O_CREATE|O_EXCL on path itself.
func LoadOrCreateKey(path string, size int) ([]byte, error) {
	if size <= 0 {
		return nil, fmt.Errorf("secrets: key size %d: must be positive", size)
	}
	key, err := readKey(path, size)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("secrets: create key directory: %w", err)
	}
	if err := createKey(path, size); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// Whoever won a race to create it, the file on disk is the key.
	return readKey(path, size)
}

func readKey(path string, size int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secrets: open key file: %w", err)
	}
	defer f.Close()
	// Stat the open file, not the path, so the checks apply to what is read.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("secrets: key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("secrets: key file %s is not a regular file", path)
	}
	// Windows has no Unix permission bits to check.
	if perm := fi.Mode().Perm(); runtime.GOOS != "windows" && perm&0o066 != 0 {
		return nil, fmt.Errorf("secrets: key file %s has mode %04o and is open to group or others; run: chmod 600 %s", path, perm, path)
	}
	// A correct file is a little over 4/3 of size; anything far larger is not a key file.
	limit := int64(base64.StdEncoding.EncodedLen(size)) + 64
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("secrets: read key file %s: %w", path, err)
	}
	const fix = "restore it from a backup, or delete it to make a new key (stored credentials then need reconnecting)"
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("secrets: key file %s is too large to hold a %d-byte key; %s", path, size, fix)
	}
	text := bytes.TrimSpace(data)
	key := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Decode(key, text)
	if err != nil {
		return nil, fmt.Errorf("secrets: key file %s is not base64 text; %s", path, fix)
	}
	if n != size {
		return nil, fmt.Errorf("secrets: key file %s holds a %d-byte key, want %d bytes; %s", path, n, size, fix)
	}
	return key[:n], nil
}

func createKey(path string, size int) error {
	key := make([]byte, size)
	rand.Read(key) // never fails since Go 1.24; it crashes the program instead
	text := []byte(base64.StdEncoding.EncodeToString(key) + "\n")

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("secrets: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(text)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("secrets: write key file: %w", err)
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	return createKeyExcl(path, text)
}

// createKeyExcl is the fallback for file systems without hard links. A
// process that reads the file between create and write sees a short key and
// fails with the wrong-size error rather than using it.
func createKeyExcl(path string, text []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("secrets: create key file: %w", err)
	}
	_, err = f.Write(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("secrets: write key file: %w", err)
	}
	return nil
}
