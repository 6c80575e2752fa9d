package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/store"
)

func mustOpen(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "b.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// history is two years of the emulator's weigh-ins, fixed in time so every run imports the same data.
func history(years int) []emulator.WeightLog {
	return emulator.New(emulator.Options{Years: years, Today: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}).WeightLogs()
}

func exportZip(tb testing.TB, logs []emulator.WeightLog, opts emulator.ExportOptions) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := emulator.WriteExport(&buf, logs, opts); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// unzip writes the archive into a fresh folder, as a person who unpacked their export would have it.
func unzip(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range zr.File {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImportExports(t *testing.T) {
	logs := history(1)
	for _, layout := range []emulator.ExportLayout{emulator.LayoutUserSiteExport, emulator.LayoutPersonal, emulator.LayoutTakeout} {
		for _, pounds := range []bool{true, false} {
			for _, noFat := range []bool{false, true} {
				opts := emulator.ExportOptions{Layout: layout, Pounds: pounds, NoFat: noFat}
				data := exportZip(t, logs, opts)
				for _, form := range []string{"zip", "folder"} {
					t.Run(string(layout)+"/"+unitName(pounds)+"/fat="+boolName(!noFat)+"/"+form, func(t *testing.T) {
						db := mustOpen(t)
						var sum Summary
						var err error
						if form == "zip" {
							sum, err = Import(t.Context(), db, bytes.NewReader(data), int64(len(data)), Options{})
						} else {
							sum, err = ImportPath(t.Context(), db, unzip(t, data), Options{})
						}
						if err != nil {
							t.Fatal(err)
						}
						wantUnit := body.Kilograms
						if pounds {
							wantUnit = body.Pounds
						}
						if sum.Unit != wantUnit || sum.UnitReason == "" {
							t.Errorf("unit = %s (%s), want %s", sum.Unit, sum.UnitReason, wantUnit)
						}
						if sum.Added != len(logs) || sum.Merged != 0 || sum.Skipped != 0 || len(sum.Files) < 10 {
							t.Fatalf("summary = %d added, %d merged, %d skipped in %d files; want %d added", sum.Added, sum.Merged, sum.Skipped, len(sum.Files), len(logs))
						}
						checkStored(t, db, logs, pounds, noFat)
						if n, err := db.CountMeasurements(t.Context(), sum.SourceID); err != nil || n != len(logs) {
							t.Errorf("the import's source %d holds %d rows (%v), want %d", sum.SourceID, n, err, len(logs))
						}
					})
				}
			}
		}
	}
}

func unitName(pounds bool) string {
	if pounds {
		return "lb"
	}
	return "kg"
}

func boolName(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// checkStored compares the stored history with the emulator's: pounds written with one decimal are within 0.03 kg.
func checkStored(t *testing.T, db *store.DB, logs []emulator.WeightLog, pounds, noFat bool) {
	t.Helper()
	got, err := db.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(logs) {
		t.Fatalf("%d stored, want %d", len(got), len(logs))
	}
	tol := 0.0
	if pounds {
		tol = 0.03
	}
	for i, l := range logs {
		m := got[i]
		if m.Date != l.Date || m.Time != l.Time || math.Abs(m.WeightKg-l.WeightKg) > tol || m.LogID != l.LogID || m.Method != store.MethodImport {
			t.Fatalf("row %d = %+v, want %s %s %v kg logId %d", i, m, l.Date, l.Time, l.WeightKg, l.LogID)
		}
		if hasFat := m.FatPct != nil; hasFat != (l.HasFat && !noFat) || (hasFat && *m.FatPct != l.FatPct) {
			t.Fatalf("row %d fat = %v, want %v (has %v)", i, m.FatPct, l.FatPct, l.HasFat && !noFat)
		}
	}
}

func TestReimportAddsNothing(t *testing.T) {
	logs := history(1)
	data := exportZip(t, logs, emulator.ExportOptions{Layout: emulator.LayoutTakeout, Pounds: true})
	db := mustOpen(t)
	var source int64
	for i, want := range []int{len(logs), 0} {
		sum, err := Import(t.Context(), db, bytes.NewReader(data), int64(len(data)), Options{Name: "takeout.zip"})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Added != want || sum.Added+sum.Merged != len(logs) {
			t.Errorf("import %d: %d added, %d merged; want %d added", i+1, sum.Added, sum.Merged, want)
		}
		if i == 0 {
			source = sum.SourceID
		} else if sum.SourceID != source {
			t.Errorf("import %d: source %d, want the first import's %d", i+1, sum.SourceID, source)
		}
	}
	src, err := db.Source(t.Context(), source)
	if err != nil || src.Kind != store.KindImport || src.Name != "takeout.zip" || src.Detail != "Fitbit export (zip)" || src.LastAt.IsZero() {
		t.Errorf("source = %+v, %v; want the import named takeout.zip", src, err)
	}
	if n, err := db.CountMeasurements(t.Context(), source); err != nil || n != len(logs) {
		t.Errorf("the import holds %d rows (%v), want %d", n, err, len(logs))
	}
}

// TestImportMergesWithSynced: an export of weigh-ins a sync already stored adds none to the history; the synced
// rows' values show, and the import keeps its own copy.
func TestImportMergesWithSynced(t *testing.T) {
	logs := history(1)
	ctx := t.Context()
	db := mustOpen(t)
	acct, err := db.UpsertAccount(ctx, store.Account{Provider: "fitbit-oauth1", ExternalUserID: "A"})
	if err != nil {
		t.Fatal(err)
	}
	synced := make([]store.Measurement, len(logs))
	for i, l := range logs {
		synced[i] = store.Measurement{SourceID: acct.SourceID, Provider: "fitbit-oauth1", ExternalID: strconv.FormatInt(l.LogID, 10),
			Date: l.Date, Time: l.Time, TimeZone: "Europe/London", WeightKg: l.WeightKg, Source: "Aria", LogID: l.LogID,
			Method: store.MethodDevice}
	}
	if _, err := db.UpsertMeasurements(ctx, synced); err != nil {
		t.Fatal(err)
	}
	data := exportZip(t, logs, emulator.ExportOptions{Layout: emulator.LayoutTakeout, Pounds: true})
	sum, err := Import(ctx, db, bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 0 || sum.Merged != len(logs) {
		t.Errorf("import: %d added, %d merged; want %d merged", sum.Added, sum.Merged, len(logs))
	}
	got, contrib, err := db.HistoryBySource(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(logs) {
		t.Fatalf("history holds %d weigh-ins, want %d", len(got), len(logs))
	}
	for i, m := range got {
		if m.SourceID != acct.SourceID || m.WeightKg != logs[i].WeightKg {
			t.Fatalf("row %d = %+v, want the synced row", i, m)
		}
		if hasFat := m.FatPct != nil; hasFat != logs[i].HasFat {
			t.Fatalf("row %d fat = %v, want the export's %v filled in (has %v)", i, m.FatPct, logs[i].FatPct, logs[i].HasFat)
		}
	}
	if c := contrib[sum.SourceID]; c.Held != len(logs) || c.Shown != 0 {
		t.Errorf("the import's contribution = %+v, want %d held, none shown", c, len(logs))
	}
	if c := contrib[acct.SourceID]; c.Held != len(logs) || c.Shown != len(logs) {
		t.Errorf("the account's contribution = %+v, want %d held and shown", c, len(logs))
	}
}

func TestUnitOverride(t *testing.T) {
	logs := history(1)
	data := exportZip(t, logs, emulator.ExportOptions{Layout: emulator.LayoutPersonal, Pounds: true})
	db := mustOpen(t)
	sum, err := Import(t.Context(), db, bytes.NewReader(data), int64(len(data)), Options{Unit: body.Kilograms})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unit != body.Kilograms || sum.UnitReason != "you chose it" {
		t.Errorf("unit = %s (%s), want the override", sum.Unit, sum.UnitReason)
	}
}

// TestRoundTrip: export, import into an empty database, export again: byte-identical.
func TestRoundTrip(t *testing.T) {
	logs := history(2)
	data := exportZip(t, logs, emulator.ExportOptions{Layout: emulator.LayoutTakeout, Pounds: true})
	first := mustOpen(t)
	if _, err := Import(t.Context(), first, bytes.NewReader(data), int64(len(data)), Options{}); err != nil {
		t.Fatal(err)
	}
	a := exportCSV(t, first)
	second := mustOpen(t)
	sum, err := Import(t.Context(), second, bytes.NewReader(a), int64(len(a)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != len(logs) {
		t.Fatalf("re-import of the export added %d, want %d", sum.Added, len(logs))
	}
	if b := exportCSV(t, second); !bytes.Equal(a, b) {
		t.Fatalf("the second export differs from the first (%d vs %d bytes)", len(a), len(b))
	}
}

func exportCSV(t *testing.T, db *store.DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := bodycsv.NewWriter(&buf)
	ms, err := db.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if err := w.Write(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFailedImportChangesNothing(t *testing.T) {
	logs := history(1)
	data := exportZip(t, logs, emulator.ExportOptions{Layout: emulator.LayoutTakeout})
	db := mustOpen(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // the database refuses the transaction, as a failing disk would
	if _, err := Import(ctx, db, bytes.NewReader(data), int64(len(data)), Options{}); err == nil {
		t.Fatal("import under a cancelled context succeeded")
	}
	if all, err := db.History(t.Context()); err != nil || len(all) != 0 {
		t.Errorf("%d rows stored by a failed import (%v)", len(all), err)
	}
	if _, err := Import(t.Context(), db, bytes.NewReader(data[:len(data)/2]), int64(len(data)/2), Options{}); err == nil {
		t.Error("a truncated zip was imported")
	}
	if _, err := Import(t.Context(), db, bytes.NewReader([]byte("hello\x00world")), 11, Options{}); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("a binary file: err = %v, want ErrUnknownFormat", err)
	}
}

func TestDetectUnit(t *testing.T) {
	bmi := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		rs       []reading
		heightCm float64
		kind     fileKind
		want     body.Unit
	}{
		{"KilogramsByBMI", []reading{{75.2, bmi(23.7)}, {75.0, bmi(23.6)}}, 0, fitbitExport, body.Kilograms},
		{"PoundsByBMI", []reading{{165.8, bmi(23.7)}, {165.2, bmi(23.6)}}, 0, weightFile, body.Pounds},
		{"PoundsByHeight", []reading{{120, bmi(17.0)}}, 178, weightFile, body.Pounds}, // 54 kg at 1.78 m: both heights plausible
		{"KilogramsByHeight", []reading{{120, bmi(37.9)}}, 178, fitbitExport, body.Kilograms},
		{"HeavyWithoutBMIIsPounds", []reading{{180, nil}, {182, nil}}, 0, weightFile, body.Pounds},
		{"LightWithoutBMIIsKilograms", []reading{{35, nil}}, 0, fitbitExport, body.Kilograms},
		{"UnderEightyEightIsKilograms", []reading{{80.5, nil}}, 0, fitbitExport, body.Kilograms}, // 36.5 kg in pounds
		{"AmbiguousFitbitExportIsPounds", []reading{{95, nil}}, 0, fitbitExport, body.Pounds},
		{"AmbiguousWeightFileIsKilograms", []reading{{95, nil}}, 0, weightFile, body.Kilograms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := detectUnit(tt.rs, tt.heightCm, tt.kind)
			if got != tt.want || why == "" {
				t.Errorf("detectUnit = %s (%s), want %s", got, why, tt.want)
			}
		})
	}
}
