package store

import (
	"testing"
)

func TestMerge(t *testing.T) {
	// An export in pounds (165.8 lb) and the API in kilograms (75.2 kg) describe one weigh-in.
	exported := func(acct int64, id string, logID int64) Measurement {
		return Measurement{AccountID: acct, Provider: "import", ExternalID: id, Date: "2022-08-08", Time: "08:45:35",
			WeightKg: 165.8 * 0.45359237, FatPct: ptr(18.763), Source: "Aria", LogID: logID, Imported: true}
	}
	synced := func(acct int64) Measurement {
		return Measurement{AccountID: acct, Provider: "fitbit", ExternalID: "1659948335000", Date: "2022-08-08", Time: "08:45:35",
			WeightKg: 75.2, FatPct: ptr(18.763), BMI: ptr(25.13), Source: "Aria", LogID: 1659948335000}
	}

	t.Run("ImportThenSync", func(t *testing.T) {
		db := mustOpen(t)
		imp, fb := mustAccount(t, db, "import", "local"), mustAccount(t, db, "fitbit", "A")
		mustUpsert(t, db, tally{Added: 1}, exported(imp.ID, "f1", 1659948335000))
		mustUpsert(t, db, tally{Merged: 1}, synced(fb.ID))
		all := mustAll(t, db)
		if len(all) != 1 || all[0].Provider != "fitbit" || all[0].AccountID != fb.ID || all[0].WeightKg != 75.2 || all[0].Imported {
			t.Fatalf("after import then sync: %+v, want the one row adopted by the sync", all)
		}
		mustUpsert(t, db, tally{Unchanged: 1}, synced(fb.ID))                      // syncing again
		mustUpsert(t, db, tally{Merged: 1}, exported(imp.ID, "f1", 1659948335000)) // importing again
		if n := len(mustAll(t, db)); n != 1 {
			t.Errorf("%d rows, want 1", n)
		}
	})
	t.Run("SyncThenImport", func(t *testing.T) {
		db := mustOpen(t)
		imp, fb := mustAccount(t, db, "import", "local"), mustAccount(t, db, "fitbit", "A")
		mustUpsert(t, db, tally{Added: 1}, synced(fb.ID))
		mustUpsert(t, db, tally{Merged: 1}, exported(imp.ID, "f1", 1659948335000))
		all := mustAll(t, db)
		if len(all) != 1 || all[0].WeightKg != 75.2 || all[0].Imported {
			t.Fatalf("after sync then import: %+v, want the synced row untouched", all)
		}
	})
	t.Run("SameMomentWithinTolerance", func(t *testing.T) {
		db := mustOpen(t)
		imp, g := mustAccount(t, db, "import", "local"), mustAccount(t, db, "google-health", "G")
		near := synced(g.ID)
		near.Provider, near.ExternalID, near.LogID = "google-health", "users/1/dataTypes/weight/dataPoints/9", 0
		mustUpsert(t, db, tally{Added: 1}, near)
		csv := exported(imp.ID, "c1", 0)
		csv.WeightKg = 75.24 // 0.04 kg off: the same weigh-in
		far := exported(imp.ID, "c2", 0)
		far.WeightKg = 75.26 // 0.06 kg off: another reading at the same second
		mustUpsert(t, db, tally{Added: 1, Merged: 1}, csv, far)
		if n := len(mustAll(t, db)); n != 2 {
			t.Errorf("%d rows, want 2", n)
		}
	})
	t.Run("DuplicateWithinOneFile", func(t *testing.T) {
		db := mustOpen(t)
		imp := mustAccount(t, db, "import", "local")
		r := mustUpsert(t, db, tally{Added: 1, Merged: 1}, exported(imp.ID, "a", 7), exported(imp.ID, "b", 7))
		if r.Outcomes[0] != Added || r.Outcomes[1] != Merged {
			t.Errorf("outcomes = %v, want [Added Merged]", r.Outcomes)
		}
	})
	t.Run("ImportNeverOverwritesSyncedKey", func(t *testing.T) {
		db := mustOpen(t)
		fb := mustAccount(t, db, "fitbit", "A")
		mustUpsert(t, db, tally{Added: 1}, synced(fb.ID))
		same := synced(fb.ID)
		same.WeightKg, same.Imported = 99, true // a file claiming the synced row's own key
		mustUpsert(t, db, tally{Merged: 1}, same)
		if all := mustAll(t, db); all[0].WeightKg != 75.2 {
			t.Errorf("weight = %v, want the synced 75.2", all[0].WeightKg)
		}
	})
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

func mustAll(t *testing.T, db *DB) []Measurement {
	t.Helper()
	all, err := db.AllMeasurements(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return all
}
