package store

import "testing"

func TestCommitWindow(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	fb := mustAccount(t, db, "fitbit", "A")
	imp := mustAccount(t, db, "import", "local")
	if s, err := db.SyncState(ctx, fb.ID); err != nil || s != (SyncState{}) {
		t.Fatalf("state before any sync = %+v, %v", s, err)
	}
	row := func(id, date string, kg float64) Measurement {
		return Measurement{AccountID: fb.ID, Provider: "fitbit", ExternalID: id, Date: date, Time: "07:00:00", WeightKg: kg}
	}
	w := Window{AccountID: fb.ID, Provider: "fitbit", From: "2024-01-01", To: "2024-01-31",
		Rows:  []Measurement{row("1", "2024-01-02", 80), row("2", "2024-01-03", 81)},
		State: SyncState{Newest: "2024-01-31", Oldest: "2024-01-01"}}
	if _, err := db.CommitWindow(ctx, w); err != nil {
		t.Fatal(err)
	}
	imported := Measurement{AccountID: imp.ID, Provider: "import", ExternalID: "x", Date: "2024-01-10", Time: "09:00:00", WeightKg: 70, Imported: true}
	mustUpsert(t, db, tally{Added: 1}, imported)

	// The provider no longer lists weigh-in 2: mirrored, it goes; the imported row in the same days stays.
	w.Rows, w.Mirror, w.State.Complete = w.Rows[:1], true, true
	if _, err := db.CommitWindow(ctx, w); err != nil {
		t.Fatal(err)
	}
	all := mustAll(t, db)
	if len(all) != 2 || all[0].ExternalID != "1" || all[1].ExternalID != "x" {
		t.Fatalf("after mirroring: %+v, want weigh-in 1 and the imported row", all)
	}
	if s, _ := db.SyncState(ctx, fb.ID); s != (SyncState{Newest: "2024-01-31", Oldest: "2024-01-01", Complete: true}) {
		t.Errorf("state = %+v", s)
	}

	// A bad row rolls back the window and its state together.
	bad := w
	bad.Rows = []Measurement{row("3", "2024-02-30", 80)}
	bad.State = SyncState{Newest: "2024-02-29", Oldest: "2024-01-01"}
	if _, err := db.CommitWindow(ctx, bad); err == nil {
		t.Fatal("a window with an impossible date was committed")
	}
	if s, _ := db.SyncState(ctx, fb.ID); s.Newest != "2024-01-31" {
		t.Errorf("state moved to %q by a failed window", s.Newest)
	}
}
