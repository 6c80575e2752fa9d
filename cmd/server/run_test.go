package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
)

// server is run() serving in the background on a free port.
type server struct {
	url    string
	stderr *bytes.Buffer
	stop   func() error
}

func startServer(t *testing.T, args, environ []string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), environ, pw, &stderr)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("run printed no address: %v; stderr:\n%s", err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	if m == "" {
		cancel()
		t.Fatalf("no URL in %q", line)
	}
	s := &server{url: m, stderr: &stderr}
	stopped := false
	s.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(15 * time.Second):
			t.Fatal("run did not return after its context was cancelled")
			return nil
		}
	}
	t.Cleanup(func() { s.stop() })
	return s
}

func newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

func get(t *testing.T, c *http.Client, u string) (string, *http.Response) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp
}

var hiddenToken = regexp.MustCompile(`name="oauth_token" value="([^"]+)"`)

// TestDemo is the newcomer's path: start with no settings, Connect Fitbit, Allow, see the dashboard; then the
// export command prints what was stored.
func TestDemo(t *testing.T) {
	dataDir := t.TempDir()
	s := startServer(t, []string{"-data-dir", dataDir}, nil)
	c := newBrowser()

	body, _ := get(t, c, s.url+"/")
	if !strings.Contains(body, "Connect Fitbit") || !strings.Contains(body, "Demo mode") {
		t.Fatalf("landing page:\n%s", body)
	}
	consent, resp := get(t, c, s.url+"/login")
	if !strings.Contains(consent, "built-in bodystats demo") {
		t.Fatalf("consent page at %s does not say it is the demo:\n%s", resp.Request.URL, consent)
	}
	m := hiddenToken.FindStringSubmatch(consent)
	if m == nil {
		t.Fatalf("no oauth_token field on the consent page")
	}
	if got, want := resp.Request.URL.Path, "/demo/oauth/authorize"; !strings.HasPrefix(resp.Request.URL.String(), s.url) || got != want {
		t.Fatalf("the consent page is at %s, want the app's own %s", resp.Request.URL, want)
	}
	action := resp.Request.URL.ResolveReference(&url.URL{Path: "authorize"})
	resp2, err := c.PostForm(action.String(), url.Values{"oauth_token": {m[1]}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	dash, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	if resp2.Request.URL.String() != s.url+"/" || !strings.Contains(string(dash), `data-measure="weight"`) {
		t.Fatalf("Allow ended at %s without a dashboard:\n%s", resp2.Request.URL, dash)
	}
	waitIdle(t, c, s.url)
	if err := s.stop(); err != nil {
		t.Fatalf("run returned %v after shutdown", err)
	}

	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"-data-dir", dataDir, "export"}, nil, &out, &errOut); err != nil {
		t.Fatalf("export: %v\n%s", err, errOut.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 300 || strings.Join(rows[0], ",") != "date,time,weight_kg,bmi,fat_pct,source,provider,external_id" {
		t.Fatalf("export printed %d rows starting %v", len(rows), rows[0])
	}

	// After a restart the stored demo connection still syncs.
	s2 := startServer(t, []string{"-data-dir", dataDir}, nil)
	c2 := newBrowser()
	req, _ := http.NewRequest(http.MethodPost, s2.url+"/sync", nil)
	req.Header.Set("Accept", "application/json")
	if resp, err := c2.Do(req); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /sync after a restart: %v %v", resp, err)
	}
	if status := waitIdle(t, c2, s2.url); !strings.Contains(status, `"state":"idle"`) {
		t.Errorf("sync after a restart: %s", status)
	}

	for _, name := range []string{"secret.key", "session.key"} {
		fi, err := os.Stat(filepath.Join(dataDir, name))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, mode %v; want 0600", name, err, fi.Mode().Perm())
		}
	}
}

func waitIdle(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		body, _ := get(t, c, base+"/sync/status")
		if !strings.Contains(body, `"running"`) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("sync still running: %s", body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestConfigIniToken: the 2013 post's config.ini, with an access token saved by hand, connects on start.
func TestConfigIniToken(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	emu.AddConsumer("seedkey", "seed#secret;1")
	token, secret := emu.IssueAccessToken("seedkey")
	api := httptest.NewServer(emu)
	defer api.Close()

	dir := t.TempDir()
	ini := "[Login Parameters]\nC_KEY = seedkey\nC_SECRET = seed#secret;1\nU_KEY = " + token + "\nU_SECRET = " + secret + "\n"
	if err := os.WriteFile(filepath.Join(dir, "config.ini"), []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	env := []string{"FITBIT_API_URL=" + api.URL, "FITBIT_WWW_URL=" + api.URL}
	s := startServer(t, []string{"-data-dir", dataDir, "-config", filepath.Join(dir, "config.ini")}, env)

	c := newBrowser()
	status := waitIdle(t, c, s.url)
	if !strings.Contains(status, `"idle"`) || strings.Contains(status, `"measurements":0`) {
		t.Fatalf("status after start = %s", status)
	}
	body, _ := get(t, c, s.url+"/")
	last := emu.WeightLogs()[len(emu.WeightLogs())-1]
	want := `data-measure="weight">` + strconv.FormatFloat(last.WeightKg, 'f', 1, 64) + "<"
	if !strings.Contains(body, want) {
		t.Fatalf("dashboard after a config.ini token does not show %s:\n%s", want, body)
	}
	s.stop()
	raw, err := os.ReadFile(filepath.Join(dataDir, "bodystats.db"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) || bytes.Contains(raw, []byte(token)) {
		t.Error("the database holds the config.ini token in plaintext")
	}
	if strings.Contains(s.stderr.String(), secret) || strings.Contains(s.stderr.String(), "seed#secret") {
		t.Error("the log holds a secret")
	}
}

func TestRunRefusesBadSettings(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		environ []string
		words   string
	}{
		{"MisspeltVariable", nil, []string{"BODYSTATS_DATADIR=/tmp/x"}, "BODYSTATS_DATADIR"},
		{"KeyWithoutSecret", nil, []string{"FITBIT_CONSUMER_KEY=abc"}, "FITBIT_CONSUMER_SECRET"},
		{"UnknownCommand", []string{"frobnicate"}, nil, "unknown command"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-data-dir", t.TempDir()}, tt.args...)
			err := run(t.Context(), args, tt.environ, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.words) || strings.Contains(err.Error(), "\n") {
				t.Errorf("run = %v, want one line naming %q", err, tt.words)
			}
		})
	}
}
