package backup

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bodystats/bodystats/internal/datadir"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/migrations"
)

var keyA, keyB = bytes.Repeat([]byte{0xa}, 32), bytes.Repeat([]byte{0xb}, 32)

// seed stores n weigh-ins (and, when token is set, a connected account) in the database at path.
func seed(t *testing.T, path string, key []byte, fsys fs.FS, from, n int, token string) {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, path, store.Options{Key: key, Migrations: fsys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.UpsertAccount(ctx, store.Account{Provider: "fitbit", ExternalUserID: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	ms := make([]store.Measurement, n)
	for i := range ms {
		d := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, from+i)
		ms[i] = store.Measurement{SourceID: a.SourceID, Method: store.MethodDevice, Provider: "fitbit", ExternalID: fmt.Sprint(from + i), Date: d.Format(time.DateOnly),
			Time: "07:30:00", WeightKg: 70 + float64(i%90)/10, Source: "Aria"}
	}
	if _, err := db.UpsertMeasurements(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if token != "" {
		if err := db.SaveCredentials(ctx, a.ID, store.Credentials{Kind: "oauth1", Token: token, Secret: token + "-s"}); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot writes a backup of the database at path to a new file and returns the file.
func snapshot(t *testing.T, path string, key []byte, fsys fs.FS) string {
	t.Helper()
	db, err := store.Open(t.Context(), path, store.Options{Key: key, Migrations: fsys})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := filepath.Join(t.TempDir(), "snap.db")
	if err := db.Backup(t.Context(), out); err != nil {
		t.Fatal(err)
	}
	return out
}

func count(t *testing.T, path string, key []byte) (int, store.Account) {
	t.Helper()
	db, err := store.Open(t.Context(), path, store.Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := db.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := db.FindAccount(t.Context(), "fitbit", "U1")
	return len(all), acct
}

func opts(dir string, key []byte) RestoreOptions {
	return RestoreOptions{DataDir: dir, DBFile: "bodystats.db", Key: func() ([]byte, error) { return key, nil },
		Now: func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) }}
}

func TestRestore(t *testing.T) {
	src := filepath.Join(t.TempDir(), "bodystats.db")
	seed(t, src, keyA, nil, 0, 50, "tok")
	snap := snapshot(t, src, keyA, nil)
	seed(t, src, keyA, nil, 100, 25, "") // written after the snapshot: the restore undoes it

	// The data directory as a server killed with -9 leaves it: the last writes only in the -wal.
	dir := t.TempDir()
	live := filepath.Join(dir, "bodystats.db")
	open, err := store.Open(t.Context(), src, store.Options{Key: keyA})
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	seedOpen(t, open, 200, 5)
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(src + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if suffix == "-wal" && len(b) == 0 {
			t.Fatal("no -wal to restore over")
		}
		os.WriteFile(live+suffix, b, 0o600)
	}

	r, err := Restore(t.Context(), snap, opts(dir, keyA))
	if err != nil {
		t.Fatal(err)
	}
	if r.Snapshot.Measurements != 50 || r.Reconnect != 0 {
		t.Errorf("restored %+v, want 50 weigh-ins and no reconnect", r)
	}
	if _, err := os.Stat(live + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a -wal is left beside the restored database: %v", err)
	}
	if n, acct := count(t, live, keyA); n != 50 || acct.NeedsReconnect {
		t.Errorf("after restore: %d weigh-ins, account %+v; want 50, connected", n, acct)
	}
	if want := live + ".before-restore-20261201T080000Z"; r.Aside != want {
		t.Errorf("aside = %q, want %q", r.Aside, want)
	}
	if _, err := os.Stat(r.Aside + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the kept database is not self-contained: %v", err)
	}
	if n, _ := count(t, r.Aside, keyA); n != 80 {
		t.Errorf("the kept database holds %d weigh-ins, want all 80 (its -wal folded in)", n)
	}
	if got := leftovers(t, dir); len(got) != 0 {
		t.Errorf("left behind %v", got)
	}
}

func seedOpen(t *testing.T, db *store.DB, from, n int) {
	t.Helper()
	a, err := db.FindAccount(t.Context(), "fitbit", "U1")
	if err != nil {
		t.Fatal(err)
	}
	ms := make([]store.Measurement, n)
	for i := range ms {
		ms[i] = store.Measurement{SourceID: a.SourceID, Method: store.MethodDevice, Provider: "fitbit", ExternalID: fmt.Sprint(from + i),
			Date: fmt.Sprintf("2024-01-%02d", i+1), Time: "08:00:00", WeightKg: 90, Source: "Aria"}
	}
	if _, err := db.UpsertMeasurements(t.Context(), ms); err != nil {
		t.Fatal(err)
	}
}

// leftovers lists files in dir other than the database, its kept copies and the lock.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if n == "bodystats.db" || n == datadir.LockFile || filepath.Ext(n) == "" || bytes.Contains([]byte(n), []byte(".before-restore-")) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// TestRestoreOlderSchema restores a snapshot of a first-version database (written with that version's SQL):
// every later migration runs on it before the swap, and its weigh-ins read back.
func TestRestoreOlderSchema(t *testing.T) {
	first, err := fs.ReadFile(migrations.FS, "0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	v1 := fstest.MapFS{"0001_init.sql": &fstest.MapFile{Data: first}}
	src := filepath.Join(t.TempDir(), "old.db")
	db, err := store.Open(t.Context(), src, store.Options{Key: keyA, Migrations: v1})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite3", src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`INSERT INTO accounts (id, provider, external_user_id, created_at, updated_at) VALUES (1, 'fitbit', 'U1', '2016-01-01T00:00:00.000000000Z', '2016-01-01T00:00:00.000000000Z');
		INSERT INTO measurements (account_id, provider, external_id, date, time, weight_kg, source, created_at, updated_at)
		VALUES (1, 'fitbit', '1', '2016-01-02', '07:00:00', 81.5, 'Aria', '2016-01-02T00:00:00.000000000Z', '2016-01-02T00:00:00.000000000Z'),
		       (1, 'fitbit', '2', '2016-01-03', '07:00:00', 81.25, 'Aria', '2016-01-03T00:00:00.000000000Z', '2016-01-03T00:00:00.000000000Z')`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	r, err := Restore(t.Context(), src, opts(dir, keyA))
	if err != nil {
		t.Fatal(err)
	}
	if r.Snapshot.SchemaVersion != 1 || r.Aside != "" {
		t.Errorf("restored %+v, want schema 1 and nothing set aside (the data directory was empty)", r)
	}
	if n, _ := count(t, filepath.Join(dir, "bodystats.db"), keyA); n != 2 {
		t.Errorf("after restore %d weigh-ins, want 2", n)
	}
}

// TestRestoreOtherKey restores into a data directory with another sealing key: every weigh-in stays, the
// account asks to reconnect.
func TestRestoreOtherKey(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src.db")
	seed(t, src, keyA, nil, 0, 40, "tok")
	snap := snapshot(t, src, keyA, nil)
	dir := t.TempDir()
	r, err := Restore(t.Context(), snap, opts(dir, keyB))
	if err != nil {
		t.Fatal(err)
	}
	if r.Reconnect != 1 {
		t.Errorf("reconnect = %d, want 1", r.Reconnect)
	}
	n, acct := count(t, filepath.Join(dir, "bodystats.db"), keyB)
	if n != 40 || !acct.NeedsReconnect {
		t.Errorf("after restore %d weigh-ins, account %+v; want 40 and NeedsReconnect", n, acct)
	}
}
