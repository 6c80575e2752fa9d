package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMerge: one weigh-in reaching the store through a sync and an import is stored by both sources and shown
// once, with the synced reading's values.
func TestMerge(t *testing.T) {
	// An export in pounds (165.8 lb) and the API in kilograms (75.2 kg) describe one weigh-in.
	exported := func(src int64, id string, logID int64) Measurement {
		return Measurement{SourceID: src, Provider: "import", ExternalID: id, Date: "2022-08-08", Time: "08:45:35",
			WeightKg: 165.8 * 0.45359237, FatPct: ptr(18.763), Source: "Aria", LogID: logID, Method: MethodImport}
	}
	synced := func(src int64) Measurement {
		return Measurement{SourceID: src, Provider: "fitbit", ExternalID: "1659948335000", Date: "2022-08-08", Time: "08:45:35",
			WeightKg: 75.2, FatPct: ptr(18.763), BMI: ptr(25.13), Source: "Aria", LogID: 1659948335000, Method: MethodDevice}
	}

	t.Run("ImportThenSync", func(t *testing.T) {
		db := mustOpen(t)
		imp, fb := mustSource(t, db, KindImport), mustAccount(t, db, "fitbit", "A")
		mustUpsert(t, db, tally{Added: 1}, exported(imp.ID, "f1", 1659948335000))
		mustUpsert(t, db, tally{Merged: 1}, synced(fb.SourceID))
		wantOnly(t, db, synced(fb.SourceID))
		mustUpsert(t, db, tally{Unchanged: 1}, synced(fb.SourceID))                   // syncing again
		mustUpsert(t, db, tally{Unchanged: 1}, exported(imp.ID, "f1", 1659948335000)) // importing again
		wantOnly(t, db, synced(fb.SourceID))
		mustCount(t, db, imp.ID, 1)
		mustCount(t, db, fb.SourceID, 1)
	})
	t.Run("SyncThenImport", func(t *testing.T) {
		db := mustOpen(t)
		imp, fb := mustSource(t, db, KindImport), mustAccount(t, db, "fitbit", "A")
		mustUpsert(t, db, tally{Added: 1}, synced(fb.SourceID))
		mustUpsert(t, db, tally{Merged: 1}, exported(imp.ID, "f1", 1659948335000))
		wantOnly(t, db, synced(fb.SourceID))
	})
	t.Run("SameMomentWithinTolerance", func(t *testing.T) {
		db := mustOpen(t)
		imp, g := mustSource(t, db, KindImport), mustAccount(t, db, "google-health", "G")
		near := synced(g.SourceID)
		near.Provider, near.ExternalID, near.LogID, near.Method = "google-health", "users/1/dataTypes/weight/dataPoints/9", 0, MethodCopy
		mustUpsert(t, db, tally{Added: 1}, near)
		csv := exported(imp.ID, "c1", 0)
		csv.WeightKg = 75.28 // 0.08 kg off: the same weigh-in
		far := exported(imp.ID, "c2", 0)
		far.WeightKg = 75.4 // 0.2 kg off (0.12 from c1): another reading at the same second
		mustUpsert(t, db, tally{Added: 1, Merged: 1}, csv, far)
		if diff := cmp.Diff([]Measurement{near, far}, mustHistory(t, db)); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
	})
	t.Run("DuplicateWithinOneFile", func(t *testing.T) {
		db := mustOpen(t)
		imp := mustSource(t, db, KindImport)
		r, err := db.UpsertMeasurements(t.Context(), []Measurement{exported(imp.ID, "a", 7), exported(imp.ID, "b", 7)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Added+r.Merged != 2 || r.Outcomes[0] != Added {
			t.Errorf("upsert = %+v, want the first Added and both stored", r)
		}
		mustCount(t, db, imp.ID, 2)
		wantOnly(t, db, exported(imp.ID, "a", 7)) // one weigh-in: the lower external id of equal twins
	})
	t.Run("SyncedValuesShowOverAnImportOfTheSameKey", func(t *testing.T) {
		db := mustOpen(t)
		imp, fb := mustSource(t, db, KindImport), mustAccount(t, db, "fitbit", "A")
		mustUpsert(t, db, tally{Added: 1}, synced(fb.SourceID))
		same := synced(imp.ID)
		same.WeightKg, same.Method = 75.25, MethodImport // a file claiming the synced row's own key, 50 g off
		same.FatPct, same.BMI = nil, nil
		mustUpsert(t, db, tally{Merged: 1}, same)
		wantOnly(t, db, synced(fb.SourceID))
		if ms, err := db.Measurements(t.Context(), imp.ID); err != nil || len(ms) != 1 || ms[0].WeightKg != 75.25 {
			t.Errorf("the import's own rows = %+v, %v; want its 75.25 kg kept", ms, err)
		}
	})
}

// wantOnly checks that the history is exactly the one weigh-in.
func wantOnly(t *testing.T, db *DB, want Measurement) {
	t.Helper()
	if diff := cmp.Diff([]Measurement{want}, mustHistory(t, db)); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
}

func mustUpsert(t *testing.T, db *DB, want tally, ms ...Measurement) UpsertResult {
	t.Helper()
	r, err := db.UpsertMeasurements(t.Context(), ms)
	if err != nil {
		t.Fatal(err)
	}
	if counts(r) != want {
		t.Fatalf("upsert = %+v, want %+v", counts(r), want)
	}
	return r
}

func mustHistory(t *testing.T, db *DB) []Measurement {
	t.Helper()
	ms, err := db.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func mustCount(t *testing.T, db *DB, sourceID int64, want int) {
	t.Helper()
	if n, err := db.CountMeasurements(t.Context(), sourceID); err != nil || n != want {
		t.Errorf("source %d holds %d rows (%v), want %d", sourceID, n, err, want)
	}
}

// mustSource creates a source of the given kind (import, manual or api).
func mustSource(t *testing.T, db *DB, kind string) Source {
	t.Helper()
	s, err := db.CreateSource(t.Context(), Source{Kind: kind, Name: kind + " source"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
