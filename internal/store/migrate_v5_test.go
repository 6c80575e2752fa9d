package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bodystats/bodystats/migrations"
)

// v5Key is the seal key testdata/v5.db was written with.
var v5Key = bytes.Repeat([]byte{0x07}, 32)

// v5Row is a weigh-in as both schemas store it.
type v5Row struct {
	ID                                          int64
	Provider, ExternalID, Date, Time, Zone, Src string
	Weight                                      float64
	Fat, BMI                                    *float64
	LogID                                       int64
	Hidden                                      bool
}

func readV5Rows(t *testing.T, path string) []v5Row {
	t.Helper()
	rows, err := rawDB(t, path).QueryContext(t.Context(), `SELECT id, provider, external_id, date, time, time_zone, source,
		weight_kg, fat_pct, bmi, COALESCE(log_id, 0), hidden FROM measurements ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []v5Row
	for rows.Next() {
		var r v5Row
		if err := rows.Scan(&r.ID, &r.Provider, &r.ExternalID, &r.Date, &r.Time, &r.Zone, &r.Src, &r.Weight, &r.Fat, &r.BMI,
			&r.LogID, &r.Hidden); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// exportLine formats a weigh-in as testdata/v5_export.csv does: Go's %v for numbers, "" for none.
func exportLine(m Measurement) string {
	opt := func(p *float64) string {
		if p == nil {
			return ""
		}
		return fmt.Sprintf("%v", *p)
	}
	return strings.Join([]string{m.Date, m.Time, fmt.Sprintf("%v", m.WeightKg), opt(m.BMI), opt(m.FatPct), m.Source,
		m.Provider, m.ExternalID}, ",")
}

// TestMigrateV5 opens a database the schema-5 code wrote and checks that migrating it lost and changed nothing
// the person had: rows, export, accounts, credentials, hidden weigh-ins, settings and sync progress.
func TestMigrateV5(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "v5.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bodystats.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if v := readUserVersion(t, path); v != 5 {
		t.Fatalf("testdata/v5.db is at version %d, want 5", v)
	}
	before := readV5Rows(t, path)
	if len(before) == 0 {
		t.Fatal("testdata/v5.db holds no weigh-ins")
	}
	db := mustOpenWith(t, path, Options{Key: v5Key})
	ctx := t.Context()
	files, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if v := readUserVersion(t, path); v != len(files) {
		t.Errorf("user_version = %d, want the latest, %d", v, len(files))
	}

	t.Run("SameRows", func(t *testing.T) {
		if diff := cmp.Diff(before, readV5Rows(t, path)); diff != "" {
			t.Errorf("weigh-ins (-v5 +v6):\n%s", diff)
		}
	})

	t.Run("SameExport", func(t *testing.T) {
		want, err := os.ReadFile(filepath.Join("testdata", "v5_export.csv"))
		if err != nil {
			t.Fatal(err)
		}
		lines := []string{"date,time,weight_kg,bmi,fat_pct,source,provider,external_id"}
		for _, m := range mustHistory(t, db) {
			lines = append(lines, exportLine(m))
		}
		if diff := cmp.Diff(strings.Split(strings.TrimRight(string(want), "\n"), "\n"), lines); diff != "" {
			t.Errorf("export (-v5 +v6):\n%s", diff)
		}
	})

	sources, err := db.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]Source{}
	for _, s := range sources {
		byID[s.ID] = s
	}

	t.Run("Accounts", func(t *testing.T) {
		for _, tc := range []struct {
			id       int64
			provider string
			rows     int
		}{{1, "fitbit-oauth1", 40}, {2, "google-health", 10}} {
			a, err := db.Account(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			s := byID[tc.id]
			if a.Provider != tc.provider || a.SourceID != tc.id || s.Kind != KindAccount || s.AccountID != tc.id || s.Provider != tc.provider {
				t.Errorf("account %d = %+v with source %+v; want a %s account source with the same id", tc.id, a, s, tc.provider)
			}
			mustCount(t, db, tc.id, tc.rows)
		}
		if a, err := db.Account(ctx, 1); err != nil || a.DisplayName != "Ada" || a.TimeZone != "Europe/London" || a.HeightCm != 172 ||
			a.MemberSince != "2012-03-01" || a.WeightUnit != "" {
			t.Errorf("account 1 = %+v, %v; want its profile kept", a, err)
		}
	})

	t.Run("Credentials", func(t *testing.T) {
		c1, err := db.Credentials(ctx, 1)
		if err != nil || c1.Kind != "oauth1" || c1.Token == "" || c1.Secret == "" {
			t.Errorf("account 1 credentials = kind %q, token set %v, secret set %v, %v", c1.Kind, c1.Token != "", c1.Secret != "", err)
		}
		c2, err := db.Credentials(ctx, 2)
		if err != nil || c2.Kind != "oauth2" || c2.Token == "" || c2.Scope != "x" ||
			!c2.Expiry.Equal(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("account 2 credentials = kind %q, token set %v, scope %q, expiry %v, %v", c2.Kind, c2.Token != "", c2.Scope, c2.Expiry, err)
		}
	})

	t.Run("EarlierImports", func(t *testing.T) {
		s := byID[3]
		if s.Kind != KindImport || s.Name != "Earlier imports" || s.AccountID != 0 || s.Provider != "import" {
			t.Errorf("source 3 = %+v, want the import source \"Earlier imports\"", s)
		}
		ms, err := db.Measurements(ctx, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 15 {
			t.Errorf("earlier imports hold %d rows, want 15", len(ms))
		}
		for _, m := range ms {
			if m.Provider != "import" || m.Method != MethodImport {
				t.Errorf("earlier import row %s: provider %q, method %q", m.ExternalID, m.Provider, m.Method)
			}
		}
		// The pseudo-account stays: it holds the height an import recorded.
		if a, err := db.Account(ctx, 3); err != nil || a.Provider != "import" {
			t.Errorf("import account = %+v, %v", a, err)
		}
	})

	t.Run("Manual", func(t *testing.T) {
		manual, err := db.ManualSource(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, existed := byID[manual.ID]; !existed || manual.Kind != KindManual {
			t.Errorf("manual source = %+v; want the migrated one, not a new one", manual)
		}
		ms, err := db.Measurements(ctx, manual.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].ExternalID != "manual:2026-11-19T07:30:00" || ms[0].Method != MethodManual || ms[0].WeightKg != 75.5 {
			t.Errorf("manual rows = %+v, want the one typed in", ms)
		}
		if len(sources) != 4 {
			t.Errorf("%d sources, want 2 accounts, earlier imports and manual", len(sources))
		}
	})

	t.Run("Methods", func(t *testing.T) {
		ms, err := db.Measurements(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			want := MethodDevice
			if m.Source == "Web" {
				want = MethodEntered // typed in on Fitbit's site
			}
			if m.Method != want || m.TimeZone != "Europe/London" || m.LogID == 0 {
				t.Errorf("fitbit row %s (%s): method %q, zone %q, log id %d", m.ExternalID, m.Source, m.Method, m.TimeZone, m.LogID)
			}
		}
		gs, err := db.Measurements(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range gs {
			if m.Method != MethodCopy || m.TimeZone != "+01:00" {
				t.Errorf("google row %s: method %q, zone %q", m.ExternalID, m.Method, m.TimeZone)
			}
		}
	})

	t.Run("Hidden", func(t *testing.T) {
		var hidden []string
		for _, m := range mustHistory(t, db) {
			if m.Hidden {
				hidden = append(hidden, m.ExternalID)
			}
		}
		if diff := cmp.Diff([]string{"1700000000005"}, hidden); diff != "" {
			t.Errorf("hidden weigh-ins (-want +got):\n%s", diff)
		}
	})

	t.Run("Settings", func(t *testing.T) {
		if s, err := db.Settings(ctx); err != nil || s != (Settings{Unit: "lb", GoalKg: 72}) {
			t.Errorf("settings = %+v, %v; want lb, goal 72", s, err)
		}
	})

	t.Run("Cursor", func(t *testing.T) {
		c, err := db.Cursor(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(c, &got); err != nil {
			t.Fatalf("cursor %q: %v", c, err)
		}
		want := map[string]any{"newest": "2026-11-20", "oldest": "2012-03-01", "complete": true}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("cursor (-want +got):\n%s", diff)
		}
		if !byID[1].LastAt.Equal(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("last sync = %v, want the sync state's 2026-11-20T09:00Z", byID[1].LastAt)
		}
		for _, id := range []int64{2, 3} {
			if c, err := db.Cursor(ctx, id); err != nil || c != nil {
				t.Errorf("cursor of source %d = %q, %v; want none (it never synced)", id, c, err)
			}
		}
	})

	t.Run("Contribution", func(t *testing.T) {
		_, contrib, err := db.HistoryBySource(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]Contribution{
			1: {Held: 40, Shown: 40, First: "2026-09-01", Last: "2026-10-10"},
			2: {Held: 10, Shown: 10, First: "2026-10-20", Last: "2026-10-29"},
			3: {Held: 15, Shown: 15, First: "2020-01-01", Last: "2020-04-08"},
			4: {Held: 1, Shown: 1, First: "2026-11-19", Last: "2026-11-19"},
		}
		if diff := cmp.Diff(want, contrib); diff != "" {
			t.Errorf("contributions (-want +got):\n%s", diff)
		}
	})
}
