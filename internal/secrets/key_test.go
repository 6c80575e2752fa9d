package secrets

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "secret.key")

	first, err := LoadOrCreateKey(path, 32)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(first), 32; got != want {
		t.Fatalf("len(key) = %d, want %d", got, want)
	}
	if bytes.Equal(first, make([]byte, 32)) {
		t.Fatal("key is all zero bytes")
	}

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("key file mode = %04o, want %04o", got, want)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := di.Mode().Perm(), os.FileMode(0o700); got != want {
		t.Errorf("key directory mode = %04o, want %04o", got, want)
	}

	// The documented format: one line of standard base64.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), base64.StdEncoding.EncodeToString(first)+"\n"; got != want {
		t.Errorf("file = %q, want %q", got, want)
	}

	second, err := LoadOrCreateKey(path, 32)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("second call returned a different key")
	}

	// No temporary files are left beside the key.
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(entries), 1; got != want {
		t.Errorf("directory holds %d entries, want %d", got, want)
	}
}

func TestLoadOrCreateKeyDifferentFiles(t *testing.T) {
	dir := t.TempDir()
	a, err := LoadOrCreateKey(filepath.Join(dir, "a.key"), 32)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadOrCreateKey(filepath.Join(dir, "b.key"), 32)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Error("two new key files hold the same key")
	}
}

func TestLoadOrCreateKeyLoosePermissions(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o620, 0o602} {
		t.Run(mode.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secret.key")
			if _, err := LoadOrCreateKey(path, 32); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreateKey(path, 32)
			if err == nil {
				t.Fatal("got nil error, want one")
			}
			if want := "chmod 600 " + path; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		})
	}
}

func TestLoadOrCreateKeyOwnerOnlyModesAccepted(t *testing.T) {
	for _, mode := range []os.FileMode{0o400, 0o600, 0o700} {
		t.Run(mode.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secret.key")
			want, err := LoadOrCreateKey(path, 16)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			got, err := LoadOrCreateKey(path, 16)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Error("key changed")
			}
		})
	}
}

func TestLoadOrCreateKeyBadFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"Short", base64.StdEncoding.EncodeToString(make([]byte, 16)) + "\n", "holds a 16-byte key, want 32 bytes"},
		{"Long", base64.StdEncoding.EncodeToString(make([]byte, 33)), "holds a 33-byte key, want 32 bytes"},
		{"Empty", "", "holds a 0-byte key, want 32 bytes"},
		{"NotBase64", "this is not a key at all!", "is not base64 text"},
		{"Huge", strings.Repeat("A", 1<<20), "is too large to hold a 32-byte key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "secret.key")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadOrCreateKey(path, 32)
			if err == nil {
				t.Fatal("got nil error, want one")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			// The bad file is left for the user to inspect, not replaced.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != tt.content {
				t.Error("key file was rewritten")
			}
		})
	}
}

func TestLoadOrCreateKeyNotRegular(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := LoadOrCreateKey(path, 32)
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("error = %v, want one saying it is not a regular file", err)
	}
}

func TestLoadOrCreateKeyBadSize(t *testing.T) {
	if _, err := LoadOrCreateKey(filepath.Join(t.TempDir(), "k"), 0); err == nil {
		t.Error("size 0: got nil error, want one")
	}
}

func TestLoadOrCreateKeyConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	const n = 16
	keys := make([][]byte, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			keys[i], errs[i] = LoadOrCreateKey(path, 32)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if !bytes.Equal(keys[i], keys[0]) {
			t.Errorf("call %d got a different key from call 0", i)
		}
	}
	onDisk, err := LoadOrCreateKey(path, 32)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, keys[0]) {
		t.Error("key on disk differs from the one returned")
	}
}

func TestCreateKeyExclFallback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.key")
	text := []byte(base64.StdEncoding.EncodeToString(make([]byte, 8)) + "\n")
	if err := createKeyExcl(path, text); err != nil {
		t.Fatal(err)
	}
	if err := createKeyExcl(path, text); err == nil {
		t.Error("second create: got nil error, want one")
	}
	key, err := LoadOrCreateKey(path, 8)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, make([]byte, 8)) {
		t.Errorf("key = %x, want zeros", key)
	}
}
