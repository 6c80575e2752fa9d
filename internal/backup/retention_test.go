package backup

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestKeepers(t *testing.T) {
	loc := time.UTC
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, loc) } // Nov 2026: the 2nd is a Monday
	tests := []struct {
		name  string
		times []time.Time // newest first
		keep  Keep
		want  []bool
	}{
		{"NewestOfEachDay", []time.Time{day(30, 18), day(30, 6), day(29, 6)}, Keep{Daily: 7}, []bool{true, false, true}},
		{"OnlyTheLastDays", []time.Time{day(30, 6), day(29, 6), day(28, 6)}, Keep{Daily: 2}, []bool{true, true, false}},
		{"WeekliesBeyondTheDailies",
			// Mon 30 (week 49), Sun 29 and Sat 28 (week 48), Sun 22 (47), Sun 15 (46), Sun 8 (45), Sun 1 (44)
			[]time.Time{day(30, 6), day(29, 6), day(28, 6), day(22, 6), day(15, 6), day(8, 6), day(1, 6)},
			Keep{Daily: 1, Weekly: 4}, []bool{true, true, false, true, true, false, false}},
		{"Default", daily(day(30, 3), 40), DefaultKeep, defaultWant()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := keepers(tt.times, tt.keep, loc); !slices.Equal(got, tt.want) {
				t.Errorf("keepers = %v, want %v", got, tt.want)
			}
		})
	}
}

// daily is n backups, one a day, the newest at t.
func daily(t time.Time, n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = t.AddDate(0, 0, -i)
	}
	return out
}

// defaultWant: from Mon 30 Nov back 40 days, 7 dailies (30 Nov..24 Nov) and the newest of weeks 49 (Mon 30,
// daily), 48 (Sun 29, daily), 47 (Sun 22) and 46 (Sun 15).
func defaultWant() []bool {
	want := make([]bool, 40)
	for i := range 7 {
		want[i] = true
	}
	want[8] = true  // Sun 22 Nov
	want[15] = true // Sun 15 Nov
	return want
}

func TestPruneLeavesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	for _, at := range daily(start, 10) {
		os.WriteFile(filepath.Join(dir, Name(at)), []byte("x"), 0o600)
	}
	for _, other := range []string{"mine.db", "bodystats.db", "bodystats-2020.db", ".bodystats-x.db.1.tmp"} {
		os.WriteFile(filepath.Join(dir, other), []byte("x"), 0o600)
	}
	removed, err := Prune(dir, Keep{Daily: 3}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 7 {
		t.Errorf("removed %v, want the 7 oldest", removed)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{".bodystats-x.db.1.tmp", "bodystats-2020.db", Name(start.AddDate(0, 0, -2)), Name(start.AddDate(0, 0, -1)), Name(start), "bodystats.db", "mine.db"}
	if !slices.Equal(names, want) {
		t.Errorf("left %v, want %v", names, want)
	}
}

func TestPruneKeepNothingKeepsAll(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, Name(time.Now())), []byte("x"), 0o600)
	if removed, err := Prune(dir, Keep{}, time.UTC); err != nil || len(removed) != 0 {
		t.Fatalf("Prune(Keep{}) = %v, %v; want nothing removed", removed, err)
	}
}
