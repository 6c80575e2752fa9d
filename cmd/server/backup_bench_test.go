package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/store"
)

// BenchmarkBackup10Years backs up the emulator's ten-year demo history (imported from its Fitbit export) and
// reports the snapshot's size and its time against a plain copy of the database file, measured in the same run.
func BenchmarkBackup10Years(b *testing.B) {
	dataDir := b.TempDir()
	logs := importHistory(b, dataDir, emulator.Options{Years: 10})
	cfg, _, err := config.Load([]string{"-data-dir", dataDir}, nil)
	if err != nil {
		b.Fatal(err)
	}
	db, err := openStore(b.Context(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	live := filepath.Join(dataDir, dbFile)
	if err := store.Checkpoint(b.Context(), live); err != nil { // the file alone holds everything, as a copy needs
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "snap.db")

	copyTime := timeIt(b, 5, func() {
		if err := copyFile(live, out); err != nil {
			b.Fatal(err)
		}
	})
	b.ResetTimer()
	var took time.Duration
	for b.Loop() {
		start := time.Now()
		if err := db.Backup(b.Context(), out); err != nil {
			b.Fatal(err)
		}
		took += time.Since(start)
	}
	b.StopTimer()
	info, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	liveInfo, _ := os.Stat(live)
	per := took / time.Duration(b.N)
	b.ReportMetric(float64(info.Size()), "snapshot-bytes")
	b.ReportMetric(float64(len(logs)), "weigh-ins")
	b.ReportMetric(float64(per)/float64(copyTime), "x-file-copy")
	b.Logf("10-year history: %d weigh-ins; database %d bytes, snapshot %d bytes; backup %v, plain file copy %v (%.1fx)",
		len(logs), liveInfo.Size(), info.Size(), per.Round(time.Microsecond), copyTime.Round(time.Microsecond), float64(per)/float64(copyTime))
}

// timeIt is the mean of n runs of f.
func timeIt(b *testing.B, n int, f func()) time.Duration {
	b.Helper()
	start := time.Now()
	for range n {
		f()
	}
	return time.Since(start) / time.Duration(n)
}

// copyFile is the baseline: the bytes of the database file copied and synced, as cp and a sync would.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
