package store

import (
	"errors"
	"testing"
)

func TestCreateSource(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	acct := mustAccount(t, db, "fitbit", "A")
	var made []Source
	for _, kind := range []string{KindImport, KindManual, KindAPI} {
		s, err := db.CreateSource(ctx, Source{Kind: kind, Name: "n-" + kind, Detail: "d"})
		if err != nil {
			t.Fatalf("CreateSource(%s): %v", kind, err)
		}
		if s.ID <= 0 || s.Kind != kind || s.Provider != kind || s.Name != "n-"+kind || s.Detail != "d" || s.AccountID != 0 || s.CreatedAt.IsZero() {
			t.Errorf("CreateSource(%s) = %+v", kind, s)
		}
		if got, err := db.Source(ctx, s.ID); err != nil || got != s {
			t.Errorf("Source(%d) = %+v, %v; want %+v", s.ID, got, err, s)
		}
		made = append(made, s)
	}
	for _, kind := range []string{KindAccount, "", "file"} {
		if s, err := db.CreateSource(ctx, Source{Kind: kind}); err == nil {
			t.Errorf("CreateSource(%q) = %+v, want an error", kind, s)
		}
	}
	all, err := db.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[0].ID != acct.SourceID || all[0].Kind != KindAccount || all[0].AccountID != acct.ID || all[1] != made[0] || all[3] != made[2] {
		t.Errorf("Sources = %+v, want the account's then the three made, oldest first", all)
	}
	if _, err := db.Source(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Source(unknown) err = %v, want ErrNotFound", err)
	}
}

func TestManualSourceIdempotent(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	first, err := db.ManualSource(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.ManualSource(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.Kind != KindManual || first != second {
		t.Errorf("ManualSource twice = %+v, %+v; want the same manual source", first, second)
	}
	if all, _ := db.Sources(ctx); len(all) != 1 {
		t.Errorf("%d sources, want 1", len(all))
	}
}

func TestRemoveSource(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	if _, err := db.RemoveSource(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("RemoveSource(unknown) err = %v, want ErrNotFound", err)
	}
	a, b := mustAccount(t, db, "fitbit", "A"), mustAccount(t, db, "fitbit", "B")
	for _, acct := range []Account{a, b} {
		if err := db.SaveCredentials(ctx, acct.ID, oauth1Creds("t")); err != nil {
			t.Fatal(err)
		}
	}
	other := weighIns(b.SourceID)
	for i := range other {
		other[i].WeightKg += 10 // another person's weigh-ins
		other[i].LogID += 100
	}
	mustUpsert(t, db, tally{Added: 6}, append(weighIns(a.SourceID), other...)...)

	if n, err := db.RemoveSource(ctx, a.SourceID); err != nil || n != 3 {
		t.Fatalf("RemoveSource = %d, %v; want 3 rows", n, err)
	}
	mustCount(t, db, a.SourceID, 0)
	if _, err := db.Source(ctx, a.SourceID); !errors.Is(err, ErrNotFound) {
		t.Errorf("source after removal: err = %v, want ErrNotFound", err)
	}
	if _, err := db.Account(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("account after removal: err = %v, want ErrNotFound", err)
	}
	if _, err := db.Credentials(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("credentials after removal: err = %v, want ErrNotFound", err)
	}
	if _, err := db.RemoveSource(ctx, a.SourceID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing twice: err = %v, want ErrNotFound", err)
	}
	// The other account keeps everything.
	mustCount(t, db, b.SourceID, 3)
	if _, err := db.Credentials(ctx, b.ID); err != nil {
		t.Errorf("the other account's credentials: %v", err)
	}
	if h := mustHistory(t, db); len(h) != 3 || h[0].SourceID != b.SourceID {
		t.Errorf("history = %+v, want the other account's 3", h)
	}

	imp := mustSource(t, db, KindImport)
	if n, err := db.RemoveSource(ctx, imp.ID); err != nil || n != 0 {
		t.Errorf("removing an empty import = %d, %v", n, err)
	}
	if _, err := db.Account(ctx, b.ID); err != nil {
		t.Errorf("removing a source without an account touched account %d: %v", b.ID, err)
	}
}

func TestClaim(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "withings", "A")
	rows := weighIns(a.SourceID)
	rows[0].Unclaimed, rows[1].Unclaimed = true, true
	mustUpsert(t, db, tally{Added: 3}, rows...)
	h, contrib, err := db.HistoryBySource(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 1 || h[0].ExternalID != "1000" {
		t.Errorf("history = %+v, want only the claimed row", h)
	}
	if c := contrib[a.SourceID]; c != (Contribution{Held: 1, Shown: 1, First: "2024-01-01", Last: "2024-01-01", Unclaimed: 2}) {
		t.Errorf("contribution = %+v, want 1 held, 2 unclaimed", c)
	}
	if n, err := db.Claim(ctx, a.SourceID); err != nil || n != 2 {
		t.Fatalf("Claim = %d, %v; want 2", n, err)
	}
	if n, err := db.Claim(ctx, a.SourceID); err != nil || n != 0 {
		t.Errorf("Claim again = %d, %v; want 0", n, err)
	}
	if h := mustHistory(t, db); len(h) != 3 {
		t.Errorf("history after claiming = %d rows, want 3", len(h))
	}
	// Syncing the same readings again, still unattributed by the provider, keeps them claimed.
	if _, err := db.UpsertMeasurements(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if h := mustHistory(t, db); len(h) != 3 {
		t.Errorf("history after a re-sync = %d rows, want 3 (claimed rows stay claimed)", len(h))
	}
}

func TestImportSource(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	mustAccount(t, db, "fitbit", "A")
	rows := func() []Measurement {
		ms := weighIns(0)
		for i := range ms {
			ms[i].Provider, ms[i].ExternalID, ms[i].Method = "import", "csv:"+ms[i].ExternalID, MethodImport
		}
		return ms
	}
	if _, _, err := db.Import(ctx, Source{Name: "a.csv"}, "", rows()); err == nil {
		t.Error("an import without a fingerprint was stored")
	}
	res, src, err := db.Import(ctx, Source{Name: "a.csv", Detail: "CSV"}, "file:1", rows())
	if err != nil {
		t.Fatal(err)
	}
	if counts(res) != (tally{Added: 3}) || src.Kind != KindImport || src.Name != "a.csv" || src.Detail != "CSV" {
		t.Errorf("first import = %+v, source %+v", counts(res), src)
	}
	// Import returns the source as read before it set last_at, so read it back.
	if stored, err := db.Source(ctx, src.ID); err != nil || stored.LastAt.IsZero() {
		t.Errorf("stored source = %+v, %v; want its last import time set", stored, err)
	}
	again, src2, err := db.Import(ctx, Source{Name: "a (1).csv"}, "file:1", rows())
	if err != nil {
		t.Fatal(err)
	}
	if again.Added != 0 || again.Updated != 0 || again.Merged+again.Unchanged != 3 || src2.ID != src.ID {
		t.Errorf("second import = %+v into source %d, want all Merged or Unchanged into %d", counts(again), src2.ID, src.ID)
	}
	mustCount(t, db, src.ID, 3)
	// Another file with the same weigh-ins is a source of its own; its rows are all twins.
	other, src3, err := db.Import(ctx, Source{Name: "b.csv"}, "file:2", rows())
	if err != nil {
		t.Fatal(err)
	}
	if counts(other) != (tally{Merged: 3}) || src3.ID == src.ID {
		t.Errorf("another file = %+v into source %d, want 3 Merged into a new source", counts(other), src3.ID)
	}
	if all, _ := db.Sources(ctx); len(all) != 3 {
		t.Errorf("%d sources, want the account and two imports", len(all))
	}
	if h := mustHistory(t, db); len(h) != 3 || h[0].SourceID != src.ID {
		t.Errorf("history = %+v, want 3 weigh-ins from the first import", h)
	}
	// A bad row stores nothing, not even the source.
	bad := rows()
	bad[2].Date = "2024-02-30"
	if _, _, err := db.Import(ctx, Source{Name: "c.csv"}, "file:3", bad); err == nil {
		t.Error("an import with an impossible date was stored")
	}
	if all, _ := db.Sources(ctx); len(all) != 3 {
		t.Errorf("%d sources after a failed import, want 3", len(all))
	}
}
