package main

import (
	"bytes"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/emulator"
)

// readDir reads every file of the data directory but its lock and scheduled backups.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "bodystats.lock" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func sameDir(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestBackupRestoreRoundTrip: backup, more weigh-ins, restore: the export is the one at the backup, byte for byte.
func TestBackupRestoreRoundTrip(t *testing.T) {
	dataDir := t.TempDir()
	importHistory(t, dataDir, emulator.Options{Years: 2})
	before, err := runOut(t, "-data-dir", dataDir, "export")
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "snap.db")
	out, err := runOut(t, "-data-dir", dataDir, "backup", snap)
	if err != nil || !strings.Contains(out, "integrity ok") {
		t.Fatalf("backup: %q, %v", out, err)
	}
	if info, err := os.Stat(snap); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot: %v, %v; want a 0600 file", info, err)
	}
	importHistory(t, dataDir, emulator.Options{Years: 1, Seed: 7}) // a different history on top
	if changed, _ := runOut(t, "-data-dir", dataDir, "export"); changed == before {
		t.Fatal("the second import changed nothing; the test would prove nothing")
	}

	out, err = runOut(t, "-data-dir", dataDir, "restore", snap)
	if err != nil || !strings.Contains(out, "kept as") {
		t.Fatalf("restore: %q, %v", out, err)
	}
	after, err := runOut(t, "-data-dir", dataDir, "export")
	if err != nil || after != before {
		t.Fatalf("export after restore differs from the export at the backup (%v)", err)
	}

	// Restored into a new data directory (another secret.key): the same export.
	fresh := t.TempDir()
	if _, err := runOut(t, "-data-dir", fresh, "restore", snap); err != nil {
		t.Fatal(err)
	}
	if got, _ := runOut(t, "-data-dir", fresh, "export"); got != before {
		t.Fatal("export in a new data directory differs")
	}

	// backup into a directory names the file; backup onto the database itself is refused.
	dir := t.TempDir()
	if _, err := runOut(t, "-data-dir", dataDir, "backup", dir); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "bodystats-") {
		t.Errorf("backup into a directory wrote %v", entries)
	}
	if _, err := runOut(t, "-data-dir", dataDir, "backup", filepath.Join(dataDir, "bodystats.db")); err == nil {
		t.Error("backup over the database itself succeeded")
	}
	if _, err := runOut(t, "-data-dir", t.TempDir(), "backup", filepath.Join(dir, "x.db")); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Errorf("backup of an empty data directory = %v", err)
	}
}

// TestRestoreRefusedLeavesDatabase: a truncated file, a file that is not SQLite, a snapshot from a newer schema
// and a restore while the server runs are refused with a one-line reason, the data directory byte for byte as
// it was.
func TestRestoreRefusedLeavesDatabase(t *testing.T) {
	dataDir := t.TempDir()
	importHistory(t, dataDir, emulator.Options{Years: 1})
	snap := filepath.Join(t.TempDir(), "snap.db")
	if _, err := runOut(t, "-data-dir", dataDir, "backup", snap); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(snap)
	write := func(name string, b []byte) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	newer := write("newer.db", good)
	db, err := sql.Open("sqlite3", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	tests := []struct {
		name, path, words string
		server            bool
	}{
		{"Truncated", write("cut.db", good[:len(good)/2]), "truncated", false},
		{"NotSQLite", write("weights.csv", []byte("date,weight\n2024-01-01,80\n")), "not an SQLite database", false},
		{"NewerSchema", newer, "newer", false},
		{"ServerRunning", snap, "server is using the data directory", true},
		{"Missing", filepath.Join(t.TempDir(), "absent.db"), "no such file", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.server {
				srv := startServer(t, []string{"-data-dir", dataDir}, nil)
				defer srv.stop()
			}
			before := readDir(t, dataDir)
			_, err := runOut(t, "-data-dir", dataDir, "restore", tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.words) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("restore = %v, want one line saying %q", err, tt.words)
			}
			if tt.name != "Missing" && !strings.Contains(err.Error(), "the database is unchanged") {
				t.Errorf("restore = %v, want it to say the database is unchanged", err)
			}
			if after := readDir(t, dataDir); !sameDir(before, after) {
				t.Error("a refused restore changed the data directory")
			}
		})
	}
	// And the server, once stopped, lets the restore through.
	if _, err := runOut(t, "-data-dir", dataDir, "restore", snap); err != nil {
		t.Fatalf("restore after the server stopped: %v", err)
	}
}

// TestRestoreOtherKeyAsksToReconnect restores a connected history into a data directory with another key:
// every weigh-in stays, and the dashboard asks to reconnect instead of failing.
func TestRestoreOtherKeyAsksToReconnect(t *testing.T) {
	emu := emulator.New(emulator.Options{Years: 1})
	emu.AddConsumer("ck", "cs")
	token, secret := emu.IssueAccessToken("ck")
	apiServer := httptest.NewServer(emu)
	defer apiServer.Close()
	api := apiServer.URL
	dir := t.TempDir()
	ini := filepath.Join(dir, "config.ini")
	os.WriteFile(ini, []byte("[Login Parameters]\nC_KEY = ck\nC_SECRET = cs\nU_KEY = "+token+"\nU_SECRET = "+secret+"\n"), 0o600)
	data := filepath.Join(dir, "data")
	env := []string{"FITBIT_API_URL=" + api, "FITBIT_WWW_URL=" + api, "BODYSTATS_SYNC_INTERVAL=0"}
	srv := startServer(t, []string{"-data-dir", data, "-config", ini}, env)
	waitSynced(t, srv.url)
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	want, _ := runOut(t, "-data-dir", data, "export")
	snap := filepath.Join(t.TempDir(), "snap.db")
	if _, err := runOut(t, "-data-dir", data, "backup", snap); err != nil {
		t.Fatal(err)
	}

	other := filepath.Join(t.TempDir(), "data")
	out, err := runOut(t, "-data-dir", other, "restore", snap)
	if err != nil || !strings.Contains(out, "1 connected account(s) must reconnect") {
		t.Fatalf("restore: %q, %v", out, err)
	}
	if got, _ := runOut(t, "-data-dir", other, "export"); got != want || strings.Count(want, "\n") != len(emu.WeightLogs())+1 {
		t.Fatal("the restored export differs, or lacks weigh-ins")
	}
	// No config.ini token this time: the server must start on the restored tokens it cannot open.
	noToken := filepath.Join(t.TempDir(), "config.ini")
	os.WriteFile(noToken, []byte("[Login Parameters]\nC_KEY = ck\nC_SECRET = cs\n"), 0o600)
	srv = startServer(t, []string{"-data-dir", other, "-config", noToken}, env)
	resp, err := http.Get(srv.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(page.String(), "Reconnect") {
		t.Fatalf("dashboard after a restore with another key = %d, want 200 with a Reconnect", resp.StatusCode)
	}
}

// connectDemo connects the demo account in browser c, as TestDemo does, and waits for its sync.
func connectDemo(t *testing.T, c *http.Client, base string) {
	t.Helper()
	consent, resp := get(t, c, base+"/login")
	m := hiddenToken.FindStringSubmatch(consent)
	if m == nil {
		t.Fatalf("no oauth_token field on the consent page")
	}
	action := resp.Request.URL.ResolveReference(&url.URL{Path: "authorize"})
	resp2, err := c.PostForm(action.String(), url.Values{"oauth_token": {m[1]}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	waitIdle(t, c, base)
}

// TestRestoreOtherKeyInSession: a browser signed in to a data directory whose database is then replaced by a
// snapshot from another installation (another secret.key). The server still starts, the browser's dashboard asks
// to reconnect instead of failing, and a sync says why it cannot run.
func TestRestoreOtherKeyInSession(t *testing.T) {
	other := t.TempDir()
	s := startServer(t, []string{"-data-dir", other}, nil)
	connectDemo(t, newBrowser(), s.url)
	s.stop()
	want, _ := runOut(t, "-data-dir", other, "export")
	snap := filepath.Join(t.TempDir(), "other.db")
	if _, err := runOut(t, "-data-dir", other, "backup", snap); err != nil {
		t.Fatal(err)
	}

	dataDir := t.TempDir()
	c := newBrowser()
	s = startServer(t, []string{"-data-dir", dataDir}, nil)
	connectDemo(t, c, s.url)
	s.stop()
	if out, err := runOut(t, "-data-dir", dataDir, "restore", snap); err != nil || !strings.Contains(out, "must reconnect") {
		t.Fatalf("restore: %q, %v", out, err)
	}

	s = startServer(t, []string{"-data-dir", dataDir}, nil) // the same session.key: c's cookie still names account 1
	body, resp := get(t, c, s.url+"/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Reconnect") || !strings.Contains(body, `data-measure="weight"`) {
		t.Fatalf("dashboard in the old session = %d, want 200 with the weigh-ins and a Reconnect:\n%s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/sync", nil)
	req.Header.Set("Accept", "application/json")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /sync: %v %v", resp, err)
	}
	if status := waitIdle(t, c, s.url); !strings.Contains(status, "reconnect") {
		t.Errorf("sync status after the restore = %s, want it to ask to reconnect", status)
	}
	s.stop()
	if got, _ := runOut(t, "-data-dir", dataDir, "export"); got != want {
		t.Error("the restored weigh-ins changed")
	}
}
