package store

import (
	"errors"
	"testing"
)

func TestSettings(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	if s, err := db.Settings(ctx); err != nil || s != (Settings{}) {
		t.Fatalf("settings before any save = %+v, %v", s, err)
	}
	want := Settings{Unit: "st", GoalKg: 75.5, HideLikeness: true}
	if err := db.SaveSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Settings(ctx); got != want {
		t.Errorf("settings = %+v, want %+v", got, want)
	}
	for _, bad := range []Settings{{Unit: "furlong"}, {GoalKg: -1}} {
		if err := db.SaveSettings(ctx, bad); err == nil {
			t.Errorf("SaveSettings(%+v) accepted", bad)
		}
	}
}

// TestHiddenSurvivesSync: hiding an outlier is the person's choice; syncing the same weigh-in again keeps it hidden.
func TestHiddenSurvivesSync(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "fitbit", "A")
	rows := weighIns(a.SourceID)
	mustUpsert(t, db, tally{Added: 3}, rows...)
	if err := db.SetHidden(ctx, a.SourceID, "fitbit", "1002", true); err != nil {
		t.Fatal(err)
	}
	changed := rows[1]
	changed.WeightKg = 81.3 // the provider corrected it
	mustUpsert(t, db, tally{Updated: 1, Unchanged: 2}, rows[0], changed, rows[2])
	var hidden int
	for _, m := range mustHistory(t, db) {
		if m.Hidden {
			hidden++
			if m.ExternalID != "1002" || m.WeightKg != 81.3 {
				t.Errorf("hidden row = %+v", m)
			}
		}
	}
	if hidden != 1 {
		t.Errorf("%d hidden rows, want 1", hidden)
	}
	if err := db.SetHidden(ctx, a.SourceID, "fitbit", "nope", true); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetHidden(unknown) = %v, want ErrNotFound", err)
	}
}
