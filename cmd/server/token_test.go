package main

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func runToken(t *testing.T, dataDir string, args ...string) (string, error) {
	t.Helper()
	out, errOut, err := runTokenOut(t, dataDir, args...)
	return out + errOut, err
}

// runTokenOut keeps standard output and standard error apart.
func runTokenOut(t *testing.T, dataDir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(t.Context(), append([]string{"-data-dir", dataDir, "token"}, args...), nil, &out, &errOut)
	return out.String(), errOut.String(), err
}

var apiToken = regexp.MustCompile(`^bst_[A-Za-z0-9_-]{43}$`)

// TestTokenWhileServing: a token made by the command works on a running server at once, push and read; list
// names it with its last use; revoke ends it at once and keeps its weigh-ins; the token never reaches the log.
func TestTokenWhileServing(t *testing.T) {
	dir := t.TempDir()
	s := startServer(t, []string{"-data-dir", dir}, nil)
	out, hint, err := runTokenOut(t, dir, "create", "phone")
	if err != nil {
		t.Fatal(err)
	}
	// Standard output is the token alone, so TOKEN=$(bodystats token create NAME) works; the advice is on stderr.
	tok := strings.TrimSuffix(out, "\n")
	if !apiToken.MatchString(tok) || !strings.Contains(hint, "not shown again") {
		t.Fatalf("token create printed %q on stdout and %q on stderr; want the token alone on stdout", out, hint)
	}
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), method, s.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call("POST", "/api/v1/weighins", `{"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.4}]}`); code != 200 || !strings.Contains(body, `"added":1`) {
		t.Fatalf("push: %d %s", code, body)
	}
	if code, body := call("GET", "/api/v1/summary", ""); code != 200 || !strings.Contains(body, `"weight_kg":79.4`) {
		t.Fatalf("summary: %d %s", code, body)
	}
	if out, err := runToken(t, dir, "list"); err != nil || !strings.Contains(out, "phone") || strings.Contains(out, "never") || strings.Contains(out, tok) {
		t.Fatalf("token list: %v\n%s", err, out)
	}
	if _, err := runToken(t, dir, "create", "phone"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("a second token named phone: %v", err)
	}
	if out, err := runToken(t, dir, "revoke", "phone"); err != nil || !strings.Contains(out, "stay in the history") {
		t.Fatalf("revoke: %v %s", err, out)
	}
	if code, _ := call("GET", "/api/v1/summary", ""); code != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d, want 401", code)
	}
	if body, _ := get(t, newBrowser(), s.url+"/sources"); !strings.Contains(body, "phone") || !strings.Contains(body, `data-held="1"`) {
		t.Fatal("the revoked token's source and weigh-in are gone from /sources")
	}
	s.stop()
	if strings.Contains(s.stderr.String(), tok) {
		t.Fatal("the token reached the server's log")
	}
}

func TestTokenBadArguments(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{}, {"make", "x"}, {"create"}, {"create", "a", "b"}, {"list", "x"}, {"revoke"}, {"create", "  "}, {"revoke", "nobody"}} {
		if out, err := runToken(t, dir, args...); err == nil || strings.Contains(out, "bst_") {
			t.Errorf("token %q: %v %q, want an error and no token", args, err, out)
		}
	}
	if out, err := runToken(t, dir, "list"); err != nil || !strings.Contains(out, "No API tokens") {
		t.Fatalf("list with none: %v %q", err, out)
	}
}
