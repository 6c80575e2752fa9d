package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
)

// TestBackupDuringSyncAndKill runs the built binary syncing a decade from the emulator and, meanwhile, takes
// backups with the backup command, kills some of those with SIGKILL part-way, and kills the server itself
// with SIGKILL while its scheduled start-up backup is being written. Every snapshot that was finished then
// restores (with the restore command) to a database whose export is consistent: exactly the emulator's
// weigh-ins from some day on (the sync stores whole windows, newest first), nothing torn.
func TestBackupDuringSyncAndKill(t *testing.T) {
	bin := serverBinary(t)
	emu, data, ini, env, args := syncingSetup(t, emulator.Options{Years: 10, Latency: 20 * time.Millisecond})
	backups := filepath.Join(data, "backups")
	snaps := t.TempDir()
	var finished []string
	serverCut, cliCut := 0, 0

	// The backup command while the server syncs, some of its runs killed part-way.
	cmd, _ := start(t, bin, args, env)
	for i := 0; emu.APIRequests() < 60 && i < 40; i++ {
		path := filepath.Join(snaps, fmt.Sprintf("cli-%02d.db", i))
		b := exec.Command(bin, "-data-dir", data, "-config", ini, "backup", path)
		b.Env = env
		if i%3 == 2 {
			if err := b.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(i) * time.Millisecond)
			b.Process.Signal(syscall.SIGKILL)
			b.Wait()
			if _, err := os.Stat(path); err != nil {
				cliCut++
				continue
			}
		} else if out, err := b.CombinedOutput(); err != nil {
			t.Fatalf("backup during the sync: %v\n%s", err, out)
		}
		finished = append(finished, path)
	}
	cmd.Process.Signal(syscall.SIGKILL) // mid-sync
	cmd.Wait()

	// The server killed while it writes its start-up backup (due each time: the finished ones are moved out
	// first). Each start also resumes the sync, so the backups are taken while it writes.
	for i := range 5 {
		collect(t, backups, snaps, fmt.Sprintf("server-%d-", i), &finished)
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if waitForTemporary(backups, 10*time.Second) {
			serverCut++
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if i < 4 {
			removeTemporaries(t, backups) // so the next start's temporary is its own; the last ones stay for the check below
		}
	}
	collect(t, backups, snaps, "server-last-", &finished)
	entries, _ := os.ReadDir(backups)
	leftByKill := hasTemporary(entries)

	// A last start removes what the kills left and finishes the sync.
	cmd, base := start(t, bin, args, env)
	waitSynced(t, base)
	if entries, _ := os.ReadDir(backups); hasTemporary(entries) {
		t.Error("the unfinished backup of the killed server was not removed")
	} else if !leftByKill {
		t.Log("note: the last kill left no unfinished backup, so its removal went unchecked")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if serverCut == 0 {
		t.Error("no SIGKILL landed while the server wrote a backup; the test checked too little")
	}

	logs := emu.WeightLogs()
	sizes := map[int]bool{}
	for _, snap := range finished {
		rows := restoreAndExport(t, bin, snap)
		checkSuffix(t, snap, rows, logs)
		sizes[len(rows)] = true
	}
	t.Logf("%d finished snapshots restored consistently (%d different sizes of history); SIGKILL cut short %d scheduled backups of the server and %d backup commands",
		len(finished), len(sizes), serverCut, cliCut)
	if len(finished) < 10 {
		t.Errorf("only %d snapshots finished; the test checked too little", len(finished))
	}
	if len(sizes) < 2 {
		t.Error("every snapshot holds the same history: none was taken while the sync wrote")
	}
}

// collect moves the finished scheduled backups out of dir into snaps, so the next start backs up again.
func collect(t *testing.T, dir, snaps, prefix string, finished *[]string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			continue
		}
		moved := filepath.Join(snaps, prefix+e.Name())
		if err := os.Rename(filepath.Join(dir, e.Name()), moved); err != nil {
			t.Fatal(err)
		}
		*finished = append(*finished, moved)
	}
}

// waitForTemporary polls dir until a backup's temporary file appears (true), or a finished backup does, or
// the time is up (false).
func waitForTemporary(dir string, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp") {
				return true
			}
		}
		if len(entries) > 0 {
			return false
		}
		time.Sleep(50 * time.Microsecond)
	}
	return false
}

func removeTemporaries(t *testing.T, dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func hasTemporary(entries []os.DirEntry) bool {
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			return true
		}
	}
	return false
}

// restoreAndExport restores snap into a new data directory with the binary and returns its export's rows.
func restoreAndExport(t *testing.T, bin, snap string) [][]string {
	t.Helper()
	data := t.TempDir()
	if out, err := exec.Command(bin, "-data-dir", data, "restore", snap).CombinedOutput(); err != nil {
		t.Fatalf("restore %s: %v\n%s", filepath.Base(snap), err, out)
	}
	out, err := exec.Command(bin, "-data-dir", data, "export").Output()
	if err != nil {
		t.Fatalf("export of %s: %v", filepath.Base(snap), err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// checkSuffix insists the rows are exactly the emulator's weigh-ins on and after the earliest day they hold.
func checkSuffix(t *testing.T, snap string, rows [][]string, logs []emulator.WeightLog) {
	t.Helper()
	if len(rows) == 0 {
		return // taken before the first window was stored
	}
	first := len(logs) - len(rows)
	if first < 0 || logs[first].Date != rows[0][0] || (first > 0 && logs[first-1].Date == rows[0][0]) {
		t.Fatalf("%s: %d weigh-ins from %s are not the emulator's last days whole", filepath.Base(snap), len(rows), rows[0][0])
	}
	for i, r := range rows {
		l := logs[first+i]
		if r[0] != l.Date || r[1] != l.Time || r[2] != strconv.FormatFloat(l.WeightKg, 'f', -1, 64) || r[7] != strconv.FormatInt(l.LogID, 10) {
			t.Fatalf("%s: row %d = %v, want %+v", filepath.Base(snap), i, r, l)
		}
	}
}
