package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/config"
)

// runPasswd runs the passwd command with input on standard input.
func runPasswd(t *testing.T, dataDir, input string) (string, error) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(input)
	defer func() { stdin = old }()
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"-data-dir", dataDir, "passwd"}, nil, &out, &errOut)
	return out.String() + errOut.String(), err
}

// storedHash reads the password hash as the server would.
func storedHash(t *testing.T, dataDir string) string {
	t.Helper()
	db, err := openStore(t.Context(), config.Config{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h, err := db.PasswordHash(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestPasswd(t *testing.T) {
	dir := t.TempDir()
	out, err := runPasswd(t, dir, "first good password\n")
	if err != nil || !strings.Contains(out, "Password set") {
		t.Fatalf("passwd: %v\n%s", err, out)
	}
	hash := storedHash(t, dir)
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=65536,t=2,p=1$") {
		t.Fatalf("stored %q, want an argon2id hash with its parameters", hash)
	}
	if ok, _ := auth.Verify("first good password", hash); !ok {
		t.Fatal("the stored hash does not verify the password")
	}
	db, _ := os.ReadFile(filepath.Join(dir, "bodystats.db"))
	wal, _ := os.ReadFile(filepath.Join(dir, "bodystats.db-wal"))
	if bytes.Contains(append(db, wal...), []byte("first good password")) {
		t.Fatal("the password is in the database file in plaintext")
	}

	for _, tt := range []struct{ name, input, says string }{
		{"NothingOnStdin", "", "nothing on standard input"},
		{"EmptyLine", "\n", "empty"},
		{"TooShort", "short one\n", "at least 10 characters"},
		{"TenKB", strings.Repeat("z", 10<<10) + "\n", "at most 1024 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runPasswd(t, dir, tt.input)
			if err == nil || !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), "unchanged") {
				t.Fatalf("err = %v, want one saying %q and that the password is unchanged (output %q)", err, tt.says, out)
			}
			if got := storedHash(t, dir); got != hash {
				t.Fatal("a refused passwd replaced the password")
			}
		})
	}
	// One line only: what follows the first line is not part of the password; a CRLF ending is no character.
	if _, err := runPasswd(t, dir, "second good password\r\nignored line\n"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.Verify("second good password", storedHash(t, dir)); !ok {
		t.Fatal("the first line (without CRLF) is not the password")
	}
	if _, err := runPasswd(t, dir, "no newline at the end"); err != nil {
		t.Fatalf("a line without a newline: %v", err)
	}
}

// signIn fills in the sign-in form in c (which follows redirects) and returns where it ended.
func signIn(t *testing.T, c *http.Client, base, password string) string {
	t.Helper()
	body, _ := get(t, c, base+"/signin")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no sign-in form:\n%s", body)
	}
	resp, err := c.PostForm(base+"/signin", url.Values{"csrf": {m[1]}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Request.URL.Path
}

// TestPasswdWhileServing: passwd takes effect at once on a running server, and a new password ends every
// session.
func TestPasswdWhileServing(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, []string{"-data-dir", dir}, nil)
	c := newBrowser()
	if _, resp := get(t, c, s.url+"/settings"); resp.Request.URL.Path == "/signin" {
		t.Fatal("asks for a password before one is set")
	}
	if _, err := runPasswd(t, dir, "while it serves 1\n"); err != nil {
		t.Fatal(err)
	}
	if _, resp := get(t, c, s.url+"/settings"); resp.Request.URL.Path != "/signin" {
		t.Fatalf("after passwd GET /settings ends at %s, want /signin", resp.Request.URL.Path)
	}
	if at := signIn(t, c, s.url, "while it serves 1"); at != "/" {
		t.Fatalf("sign-in ended at %s", at)
	}
	if _, resp := get(t, c, s.url+"/settings"); resp.Request.URL.Path == "/signin" {
		t.Fatal("signed in, still sent to /signin")
	}
	if _, err := runPasswd(t, dir, "while it serves 2\n"); err != nil {
		t.Fatal(err)
	}
	if _, resp := get(t, c, s.url+"/settings"); resp.Request.URL.Path != "/signin" {
		t.Fatalf("a new password did not end the session: ended at %s", resp.Request.URL.Path)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestFirstRunServesNoHealthData: with a base URL beyond loopback and no password, the server serves only the
// set-a-password page, whose one-time code is on stdout (never in the log).
func TestFirstRunServesNoHealthData(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(t.TempDir(), "weights.csv")
	os.WriteFile(csvPath, []byte("date,weight_kg\n2026-11-29,83.71\n2026-11-30,83.52\n"), 0o600)
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"-data-dir", dir, "import", csvPath}, nil, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}

	ctx, cancel := context.WithCancel(t.Context())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-data-dir", dir, "-base-url", "http://scale.example:8080"}, nil, stdout, stderr)
	}()
	t.Cleanup(func() { cancel(); <-done })
	codeRe := regexp.MustCompile(`\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b`)
	addrRe := regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`)
	var code, addr string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && (code == "" || addr == ""); time.Sleep(20 * time.Millisecond) {
		code = codeRe.FindString(stdout.String())
		if m := addrRe.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
	}
	if code == "" || addr == "" {
		t.Fatalf("no setup code or address; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
	if strings.Contains(stderr.String(), code) {
		t.Fatal("the setup code reached the log")
	}
	base := "http://" + addr
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/", "/weight", "/export.csv", "/sync/status", "/signin", "/api/v1/weighins"} {
		resp, err := noFollow.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), "83.7") || strings.Contains(string(b), "83.5") || (resp.StatusCode != 303 && resp.StatusCode != 401) {
			t.Errorf("GET %s on a first run: %d, or it carries a weight", p, resp.StatusCode)
		}
	}
	// The setup page with the code sets the password; then the history shows.
	c := newBrowser()
	body, _ := get(t, c, base+"/setup-password")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no setup form:\n%s", body)
	}
	resp, err := c.PostForm(base+"/setup-password", url.Values{"csrf": {m[1]}, "code": {code}, "password": {"phone in the bathroom"}, "confirm": {"phone in the bathroom"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/" {
		t.Fatalf("setup ended at %s (%d)", resp.Request.URL.Path, resp.StatusCode)
	}
	if body, _ := get(t, c, base+"/export.csv"); !strings.Contains(body, "83.71") {
		t.Fatalf("after setup the export lacks the history:\n%s", body)
	}
	if ok, _ := auth.Verify("phone in the bathroom", storedHash(t, dir)); !ok {
		t.Fatal("the first-run page did not store the password")
	}
}
