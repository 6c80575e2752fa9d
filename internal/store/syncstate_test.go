package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCommitWindow(t *testing.T) {
	clk := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey, Now: clk.Now})
	ctx := t.Context()
	fb := mustAccount(t, db, "fitbit", "A")
	imp := mustSource(t, db, KindImport)
	if c, err := db.Cursor(ctx, fb.SourceID); err != nil || c != nil {
		t.Fatalf("cursor before any sync = %q, %v; want nil", c, err)
	}
	if _, err := db.Cursor(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Cursor(unknown) err = %v, want ErrNotFound", err)
	}
	row := func(id, date string, kg float64) Measurement {
		return Measurement{SourceID: fb.SourceID, Provider: "fitbit", ExternalID: id, Date: date, Time: "07:00:00",
			WeightKg: kg, Method: MethodDevice}
	}
	w := Window{SourceID: fb.SourceID, From: "2024-01-01", To: "2024-01-31",
		Rows:   []Measurement{row("1", "2024-01-02", 80), row("2", "2024-01-03", 81), row("3", "2024-01-04", 82), row("4", "2024-02-01", 83)},
		Cursor: []byte(`{"newest":"2024-01-31"}`)}
	if r, err := db.CommitWindow(ctx, w); err != nil || counts(r) != (tally{Added: 4}) {
		t.Fatalf("first window = %+v, %v", r, err)
	}
	if s, _ := db.Source(ctx, fb.SourceID); !s.LastAt.IsZero() {
		t.Errorf("last sync %v set by a window that was not Done", s.LastAt)
	}
	mustUpsert(t, db, tally{Added: 1}, Measurement{SourceID: imp.ID, Provider: "import", ExternalID: "x", Date: "2024-01-10",
		Time: "09:00:00", WeightKg: 70, Method: MethodImport})

	// The provider no longer lists weigh-in 2 and reports weigh-in 3 as unchanged (Keep): mirrored, 2 goes; 3,
	// weigh-in 4 outside [From, To] and the imported row in the same days stay.
	clk.Advance(time.Hour)
	w.Rows, w.Mirror, w.Keep, w.Cursor, w.Done = w.Rows[:1], true, []string{"3"}, nil, true
	if r, err := db.CommitWindow(ctx, w); err != nil || counts(r) != (tally{Unchanged: 1}) {
		t.Fatalf("mirrored window = %+v, %v", r, err)
	}
	var ids []string
	for _, m := range mustHistory(t, db) {
		ids = append(ids, m.ExternalID)
	}
	if got := strings.Join(ids, " "); got != "1 3 x 4" {
		t.Errorf("after mirroring: %s, want 1 3 x 4", got)
	}
	if c, _ := db.Cursor(ctx, fb.SourceID); string(c) != `{"newest":"2024-01-31"}` {
		t.Errorf("cursor = %q; a nil Cursor must leave it", c)
	}
	if s, _ := db.Source(ctx, fb.SourceID); !s.LastAt.Equal(clk.Now()) {
		t.Errorf("last sync = %v, want %v (Done)", s.LastAt, clk.Now())
	}

	// A bad row rolls back the window and its cursor together.
	bad := w
	bad.Rows = []Measurement{row("5", "2024-01-20", 80), row("6", "2024-02-30", 80)}
	bad.Keep, bad.Cursor = nil, []byte(`{"newest":"2024-02-29"}`)
	if _, err := db.CommitWindow(ctx, bad); err == nil {
		t.Fatal("a window with an impossible date was committed")
	}
	// A row of another source is refused.
	other := w
	other.Rows = []Measurement{{SourceID: imp.ID, Provider: "import", ExternalID: "y", Date: "2024-01-11", Time: "09:00:00",
		WeightKg: 70, Method: MethodImport}}
	other.Cursor = []byte(`{"newest":"2024-03-01"}`)
	if _, err := db.CommitWindow(ctx, other); err == nil {
		t.Fatal("a window holding another source's row was committed")
	}
	if c, _ := db.Cursor(ctx, fb.SourceID); string(c) != `{"newest":"2024-01-31"}` {
		t.Errorf("cursor moved to %q by a failed window", c)
	}
	mustCount(t, db, fb.SourceID, 3)
	mustCount(t, db, imp.ID, 1)
}
