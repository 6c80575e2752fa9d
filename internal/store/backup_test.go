package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// backupAccount makes an account with n weigh-ins, stored in batches of 10 (one transaction each).
func backupAccount(tb testing.TB, db *DB, external string, n int) Account {
	tb.Helper()
	a, err := db.UpsertAccount(tb.Context(), Account{Provider: "fitbit", ExternalUserID: external})
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < n; i += 10 {
		if _, err := db.UpsertMeasurements(tb.Context(), batchOf10(a.SourceID, i)); err != nil {
			tb.Fatal(err)
		}
	}
	return a
}

// batchOf10 is ten weigh-ins on ten consecutive days from day `from` of 2016.
func batchOf10(sourceID int64, from int) []Measurement {
	ms := make([]Measurement, 10)
	for i := range ms {
		d := from + i
		ms[i] = Measurement{SourceID: sourceID, Method: MethodDevice, Provider: "fitbit", ExternalID: fmt.Sprint(d + 1),
			Date: fmt.Sprintf("%04d-%02d-%02d", 2016+d/336, 1+d/28%12, 1+d%28), Time: "07:00:00",
			WeightKg: 80 + float64(d%50)/10, Source: "Aria"}
	}
	return ms
}

func TestBackup(t *testing.T) {
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey})
	backupAccount(t, db, "A", 30)
	path := filepath.Join(t.TempDir(), "snap.db")
	if err := os.WriteFile(path, []byte("an older file at the same name"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %v, want 0600", got)
	}
	s, err := CheckSnapshot(t.Context(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Measurements != 30 || s.SchemaVersion != mustMigrationCount(t) {
		t.Errorf("snapshot = %+v, want 30 weigh-ins at version %d", s, mustMigrationCount(t))
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the backup directory holds %d files, want only the snapshot (no temporary left)", len(entries))
	}
}

func mustMigrationCount(tb testing.TB) int {
	ms, err := loadMigrations(osMigrations(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return len(ms)
}

func osMigrations(tb testing.TB) fstest.MapFS {
	tb.Helper()
	entries, err := os.ReadDir("../../migrations")
	if err != nil {
		tb.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("../../migrations", e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// TestBackupWhileWriting takes snapshots while another goroutine commits batches of ten: every snapshot holds
// whole batches only, and passes every check.
func TestBackupWhileWriting(t *testing.T) {
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey})
	a := backupAccount(t, db, "A", 10)
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for from := 10; ctx.Err() == nil && from < 3000; from += 10 {
			if _, err := db.UpsertMeasurements(ctx, batchOf10(a.SourceID, from)); err != nil && ctx.Err() == nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := t.TempDir()
	seen := map[int]bool{}
	for i := range 20 {
		path := filepath.Join(dir, fmt.Sprintf("snap-%d.db", i))
		if err := db.Backup(t.Context(), path); err != nil {
			t.Fatal(err)
		}
		s, err := CheckSnapshot(t.Context(), path, nil)
		if err != nil {
			t.Fatalf("snapshot %d: %v", i, err)
		}
		if s.Measurements%10 != 0 {
			t.Fatalf("snapshot %d holds %d weigh-ins: a batch was cut in half", i, s.Measurements)
		}
		seen[s.Measurements] = true
	}
	cancel()
	wg.Wait()
	t.Logf("20 snapshots saw %d different states of the history", len(seen))
}

func TestCheckSnapshotRefuses(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.db")
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey})
	backupAccount(t, db, "A", 400)
	if err := db.Backup(t.Context(), good); err != nil {
		t.Fatal(err)
	}
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	newer := osMigrations(t) // this "program" knows one migration less than the snapshot has
	ms, _ := loadMigrations(newer)
	delete(newer, ms[len(ms)-1].name)

	otherSQLite := filepath.Join(t.TempDir(), "other.db")
	plain, err := Open(t.Context(), otherSQLite, Options{Key: testKey, Migrations: fstest.MapFS{"0001_x.sql": {Data: []byte("CREATE TABLE notes (body TEXT);")}}})
	if err != nil {
		t.Fatal(err)
	}
	plain.Close()
	otherBytes, _ := os.ReadFile(otherSQLite)

	flipped := bytes.Clone(goodBytes)
	for i := len(flipped) / 2; i < len(flipped)/2+4096; i++ {
		flipped[i] ^= 0x5a
	}
	tests := []struct {
		name string
		data []byte
		fsys fstest.MapFS
		want error
	}{
		{"Empty", nil, nil, ErrNotSQLite},
		{"NotSQLite", []byte("date,weight\n2024-01-01,80\n"), nil, ErrNotSQLite},
		{"HeaderOnly", goodBytes[:60], nil, ErrDamaged},
		{"Truncated", goodBytes[:len(goodBytes)/2], nil, ErrDamaged},
		{"Scribbled", flipped, nil, ErrDamaged},
		{"OtherSQLite", otherBytes, nil, ErrNotBodystats},
		{"NewerSchema", goodBytes, newer, ErrNewerSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "snap.db")
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			var fsys = tt.fsys
			if fsys == nil {
				fsys = osMigrations(t)
			}
			_, err := CheckSnapshot(t.Context(), path, fsys)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := CheckSnapshot(t.Context(), good, nil); err != nil {
		t.Fatalf("the good snapshot: %v", err)
	}
}

// TestAfterRestoreOtherKey restores a database whose first account's tokens were sealed with another key:
// that account is marked for reconnect, the other keeps working, and every weigh-in stays.
func TestAfterRestoreOtherKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodystats.db")
	ctx := t.Context()
	old := mustOpenWith(t, path, Options{Key: bytes.Repeat([]byte{7}, 32)})
	a := backupAccount(t, old, "A", 20)
	if err := old.SaveCredentials(ctx, a.ID, Credentials{Kind: "oauth1", Token: "tok-a", Secret: "sec-a"}); err != nil {
		t.Fatal(err)
	}
	if err := old.PutFlow(ctx, "pending", []byte("verifier"), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db := mustOpenWith(t, path, Options{Key: testKey})
	b := backupAccount(t, db, "B", 0)
	if _, err := db.UpsertMeasurements(ctx, batchOf10(b.SourceID, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveCredentials(ctx, b.ID, Credentials{Kind: "oauth1", Token: "tok-b", Secret: "sec-b"}); err != nil {
		t.Fatal(err)
	}
	n, err := db.AfterRestore(ctx)
	if err != nil || n != 1 {
		t.Fatalf("AfterRestore = %d, %v; want 1 account to reconnect", n, err)
	}
	if got, _ := db.Account(ctx, a.ID); !got.NeedsReconnect {
		t.Error("account A (other key) is not marked for reconnect")
	}
	if got, _ := db.Account(ctx, b.ID); got.NeedsReconnect {
		t.Error("account B (this key) is marked for reconnect")
	}
	if _, err := db.Credentials(ctx, b.ID); err != nil {
		t.Errorf("account B's credentials: %v", err)
	}
	if _, err := db.Flow(ctx, "pending"); !errors.Is(err, ErrNotFound) {
		t.Errorf("pending sign-in after restore: %v, want it gone", err)
	}
	all, err := db.History(ctx)
	if err != nil || len(all) != 30 {
		t.Fatalf("weigh-ins after restore = %d (%v), want 30", len(all), err)
	}
}
