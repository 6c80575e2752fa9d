package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
)

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// TestMain removes the server binary the binary tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// serverBinary builds the server once for every test that runs the real binary, and skips in -short mode.
func serverBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "bodystats-bin"); binErr != nil {
			return
		}
		if out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "bodystats"), ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "bodystats")
}

// syncingSetup is a data directory whose config.ini holds the seed's saved OAuth 1.0a token for an emulator
// with opts, so every start of the binary syncs: the emulator, the data directory, the config file, and the
// environment and arguments to start the server with.
func syncingSetup(t *testing.T, opts emulator.Options) (emu *emulator.Emulator, data, ini string, env, args []string) {
	t.Helper()
	emu = emulator.New(opts)
	emu.AddConsumer("ck", "cs")
	token, secret := emu.IssueAccessToken("ck")
	api := httptest.NewServer(emu)
	t.Cleanup(api.Close)
	dir := t.TempDir()
	ini = filepath.Join(dir, "config.ini")
	if err := os.WriteFile(ini, []byte("[Login Parameters]\nC_KEY = ck\nC_SECRET = cs\nU_KEY = "+token+"\nU_SECRET = "+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data = filepath.Join(dir, "data")
	env = append(os.Environ(), "FITBIT_API_URL="+api.URL, "FITBIT_WWW_URL="+api.URL, "BODYSTATS_SYNC_INTERVAL=0")
	args = []string{"-data-dir", data, "-config", ini, "-addr", "127.0.0.1:0"}
	return emu, data, ini, env, args
}

// TestKillAndResume runs the built binary, kills it with SIGKILL in the middle of a backfill at several points,
// restarts it, and checks that the final data equals the emulator's: nothing lost, nothing twice.
func TestKillAndResume(t *testing.T) {
	bin := serverBinary(t)
	emu, data, ini, env, args := syncingSetup(t, emulator.Options{Years: 3, Latency: 15 * time.Millisecond})

	// Each run syncs from where the last one stopped (the config.ini token starts a sync on every start).
	for _, killAfter := range []int{3, 12, 25} {
		cmd, _ := start(t, bin, args, env)
		for emu.APIRequests() < killAfter {
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	cmd, base := start(t, bin, args, env)
	waitSynced(t, base)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	out, err := exec.Command(bin, "-data-dir", data, "-config", ini, "export").Output()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	logs := emu.WeightLogs()
	if len(rows)-1 != len(logs) {
		t.Fatalf("after three kills the database holds %d weigh-ins, the emulator %d", len(rows)-1, len(logs))
	}
	for i, l := range logs {
		r := rows[i+1]
		if r[0] != l.Date || r[1] != l.Time || r[2] != strconv.FormatFloat(l.WeightKg, 'f', -1, 64) || r[7] != strconv.FormatInt(l.LogID, 10) {
			t.Fatalf("row %d = %v, want %+v", i, r, l)
		}
	}
}

var servingURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

// start runs the binary and returns it with the URL it serves.
func start(t *testing.T, bin string, args, env []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("the binary printed no address: %v", err)
	}
	return cmd, servingURL.FindString(line)
}

func waitSynced(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/sync/status")
		if err == nil {
			var s struct{ State string }
			json.NewDecoder(resp.Body).Decode(&s)
			resp.Body.Close()
			if s.State == "idle" {
				return
			}
			if s.State == "failed" {
				t.Fatalf("the resumed sync failed")
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the resumed sync did not finish in 60 s")
}
