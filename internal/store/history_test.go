package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sourced is a row with the kind of source it comes through: "fitbit" or "google-health" (an account), "import",
// "import2" (a second file) or "manual".
type sourced struct {
	via string
	m   Measurement
}

// makeSource creates the source a row comes through.
func makeSource(t *testing.T, db *DB, via string) int64 {
	t.Helper()
	switch via {
	case "fitbit", "google-health":
		return mustAccount(t, db, via, "user-"+via).SourceID
	case "manual":
		s, err := db.ManualSource(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	return mustSource(t, db, KindImport).ID
}

// TestHistoryTwins stores the same weigh-in (or two near ones) through two sources, in both orders, and checks
// what the history shows, what each source contributes, and that removing either source brings the other's own
// values back.
func TestHistoryTwins(t *testing.T) {
	lb := 0.45359237
	fitbitAPI := sourced{"fitbit", Measurement{Provider: "fitbit", ExternalID: "1700000000000", Date: "2026-01-12", Time: "07:15:09",
		TimeZone: "Europe/Berlin", WeightKg: 80.3, BMI: ptr(25.4), Source: "Aria", LogID: 1700000000000, Method: MethodDevice}}
	google := sourced{"google-health", Measurement{Provider: "google-health", ExternalID: "users/me/dataTypes/weight/dataPoints/1",
		Date: "2026-01-12", Time: "07:15:09", TimeZone: "+01:00", WeightKg: 80.3, FatPct: ptr(19.5), Source: "Aria", Method: MethodCopy}}
	with := func(s sourced, edit func(*Measurement)) sourced {
		edit(&s.m)
		return s
	}
	tests := []struct {
		name string
		a, b sourced
		// shown is the row the history shows (0: a, 1: b), fat and bmi its values after filling from the twin;
		// shown -1 means the two stay two weigh-ins.
		shown    int
		fat, bmi *float64
	}{
		{"DeviceOverCopySameLocalClock", fitbitAPI, google, 0, ptr(19.5), ptr(25.4)},
		{"DeviceOverCopySameInstantOtherClock", // the same instant, one clock in London, one at +01:00
			with(fitbitAPI, func(m *Measurement) { m.TimeZone, m.Time = "Europe/London", "06:15:09" }), google, 0, ptr(19.5), ptr(25.4)},
		{"SameInstantAcrossMidnight",
			with(fitbitAPI, func(m *Measurement) { m.TimeZone, m.Date, m.Time = "America/New_York", "2026-01-11", "23:30:00" }),
			with(google, func(m *Measurement) { m.TimeZone, m.Date, m.Time = "+00:00", "2026-01-12", "04:30:59" }), 0, ptr(19.5), ptr(25.4)},
		{"DeviceOverImportInPounds", fitbitAPI, sourced{"import", Measurement{Provider: "import", ExternalID: "csv:1",
			Date: "2026-01-12", Time: "07:15:09", WeightKg: 177 * lb, FatPct: ptr(19.4), Source: "CSV import", Method: MethodImport}},
			0, ptr(19.4), ptr(25.4)},
		{"SameLogIDAnotherMinute", fitbitAPI, sourced{"import", Measurement{Provider: "import", ExternalID: "fitbit-log:1700000000000",
			Date: "2026-01-12", Time: "07:16:09", WeightKg: 80.2, FatPct: ptr(19.4), Source: "Aria", LogID: 1700000000000, Method: MethodImport}},
			0, ptr(19.4), ptr(25.4)},
		{"CopyOverManual", google, sourced{"manual", Measurement{Provider: "manual", ExternalID: "manual:2026-01-12T07:15:00",
			Date: "2026-01-12", Time: "07:15:00", WeightKg: 80.3, FatPct: ptr(17.2), Method: MethodManual}}, 0, ptr(19.5), nil},
		{"ManualBesideSyncedReading", sourced{"manual", Measurement{Provider: "manual", ExternalID: "manual:2026-01-12T07:15:00",
			Date: "2026-01-12", Time: "07:15:00", WeightKg: 80.3, FatPct: ptr(17.2), Method: MethodManual}},
			with(fitbitAPI, func(m *Measurement) { m.TimeZone = "" }), 1, ptr(17.2), ptr(25.4)},
		{"EnteredOverImport", with(fitbitAPI, func(m *Measurement) { m.Source, m.Method = "Web", MethodEntered }),
			sourced{"import", Measurement{Provider: "import", ExternalID: "csv:2", Date: "2026-01-12", Time: "07:15:30",
				WeightKg: 80.35, Method: MethodImport}}, 0, nil, ptr(25.4)},
		{"ImportOverManual", sourced{"manual", Measurement{Provider: "manual", ExternalID: "manual:x", Date: "2026-01-12",
			Time: "07:15:00", WeightKg: 80.3, FatPct: ptr(17.2), Method: MethodManual}},
			sourced{"import", Measurement{Provider: "import", ExternalID: "csv:3", Date: "2026-01-12", Time: "07:15:40",
				WeightKg: 80.32, Method: MethodImport}}, 1, ptr(17.2), nil},
		{"EqualMethodTheOneWithFat", sourced{"import", Measurement{Provider: "import", ExternalID: "csv:a", Date: "2026-01-12",
			Time: "07:15:09", WeightKg: 80.3, Method: MethodImport}},
			sourced{"import2", Measurement{Provider: "import", ExternalID: "csv:b", Date: "2026-01-12", Time: "07:15:09",
				WeightKg: 80.31, FatPct: ptr(20), Method: MethodImport}}, 1, ptr(20), nil},
		{"EqualMethodTheOlderSource", sourced{"import", Measurement{Provider: "import", ExternalID: "csv:z", Date: "2026-01-12",
			Time: "07:15:09", WeightKg: 80.3, Method: MethodImport}},
			sourced{"import2", Measurement{Provider: "import", ExternalID: "csv:a", Date: "2026-01-12", Time: "07:15:09",
				WeightKg: 80.31, Method: MethodImport}}, 0, nil, nil},
		{"ExactlyTheTolerance", fitbitAPI, with(google, func(m *Measurement) { m.WeightKg = 80.4 }), 0, ptr(19.5), ptr(25.4)},
		{"AnotherMinute", fitbitAPI, with(google, func(m *Measurement) { m.Time = "07:16:00" }), -1, nil, nil},
		{"OverTheTolerance", fitbitAPI, with(google, func(m *Measurement) { m.WeightKg = 80.42 }), -1, nil, nil},
		// A zone name is the account's zone now, a guess while travelling: the same clock reading is one weigh-in.
		{"SameClockAccountZoneIsAGuess", fitbitAPI, with(google, func(m *Measurement) { m.TimeZone = "+00:00" }), 0, ptr(19.5), ptr(25.4)},
		{"SameClockTwoZoneNames", fitbitAPI,
			sourced{"import", Measurement{Provider: "import", ExternalID: "csv:ny", Date: "2026-01-12", Time: "07:15:09",
				TimeZone: "America/New_York", WeightKg: 80.3, Method: MethodImport}}, 0, nil, ptr(25.4)},
		// Two readings that each carry the offset they were taken at, and the offsets differ: two moments.
		{"SameClockTwoOffsets", google,
			sourced{"import", Measurement{Provider: "import", ExternalID: "csv:ny", Date: "2026-01-12", Time: "07:15:09",
				TimeZone: "-05:00", WeightKg: 80.3, Method: MethodImport}}, -1, nil, nil},
	}
	for _, tc := range tests {
		for _, order := range []string{"ab", "ba"} {
			for _, remove := range []int{0, 1} {
				t.Run(tc.name+"/"+order+"/remove"+"ab"[remove:remove+1], func(t *testing.T) {
					db := mustOpen(t)
					ctx := t.Context()
					rows := []Measurement{tc.a.m, tc.b.m}
					rows[0].SourceID = makeSource(t, db, tc.a.via) // a's source is always the older
					rows[1].SourceID = makeSource(t, db, tc.b.via)
					first, second := 0, 1
					if order == "ba" {
						first, second = 1, 0
					}
					mustUpsert(t, db, tally{Added: 1}, rows[first])
					switch r, err := db.UpsertMeasurements(ctx, rows[second:second+1]); {
					case err != nil:
						t.Fatal(err)
					case tc.shown < 0 && counts(r) != (tally{Added: 1}):
						t.Errorf("second row = %+v, want Added (another weigh-in)", counts(r))
					case tc.shown >= 0 && counts(r) != (tally{Merged: 1}):
						t.Errorf("second row = %+v, want Merged (a twin)", counts(r))
					}
					mustCount(t, db, rows[second].SourceID, 1)

					got, contrib, err := db.HistoryBySource(ctx)
					if err != nil {
						t.Fatal(err)
					}
					want := []Contribution{{Held: 1, First: tc.a.m.Date, Last: tc.a.m.Date}, {Held: 1, First: tc.b.m.Date, Last: tc.b.m.Date}}
					if tc.shown < 0 {
						want[0].Shown, want[1].Shown = 1, 1
						if len(got) != 2 {
							t.Fatalf("history = %+v, want two weigh-ins", got)
						}
					} else {
						want[tc.shown].Shown = 1
						m := rows[tc.shown]
						m.FatPct, m.BMI = tc.fat, tc.bmi
						if diff := cmp.Diff([]Measurement{m}, got); diff != "" {
							t.Errorf("history (-want +got):\n%s", diff)
						}
					}
					for i, w := range want {
						if c := contrib[rows[i].SourceID]; c != w {
							t.Errorf("contribution of %s = %+v, want %+v", "ab"[i:i+1], c, w)
						}
					}

					if n, err := db.RemoveSource(ctx, rows[remove].SourceID); err != nil || n != 1 {
						t.Fatalf("RemoveSource = %d, %v; want 1 row", n, err)
					}
					if diff := cmp.Diff([]Measurement{rows[1-remove]}, mustHistory(t, db)); diff != "" {
						t.Errorf("history after removing %s (-want +got):\n%s", "ab"[remove:remove+1], diff)
					}
				})
			}
		}
	}
}

// TestHistoryHiddenTwin: hiding any row of a weigh-in hides the weigh-in; removing that row's source shows it.
func TestHistoryHiddenTwin(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	fb, imp := mustAccount(t, db, "fitbit", "A"), mustSource(t, db, KindImport)
	synced := Measurement{SourceID: fb.SourceID, Provider: "fitbit", ExternalID: "1", Date: "2026-01-12", Time: "07:15:09",
		WeightKg: 80.3, LogID: 1, Method: MethodDevice}
	imported := Measurement{SourceID: imp.ID, Provider: "import", ExternalID: "fitbit-log:1", Date: "2026-01-12", Time: "07:15:09",
		WeightKg: 80.3, LogID: 1, Method: MethodImport}
	mustUpsert(t, db, tally{Added: 1, Merged: 1}, synced, imported)
	if err := db.SetHidden(ctx, imp.ID, "import", "fitbit-log:1", true); err != nil {
		t.Fatal(err)
	}
	got := mustHistory(t, db)
	if len(got) != 1 || !got[0].Hidden || got[0].SourceID != fb.SourceID {
		t.Fatalf("history = %+v, want the synced row, hidden", got)
	}
	if _, err := db.RemoveSource(ctx, imp.ID); err != nil {
		t.Fatal(err)
	}
	if got := mustHistory(t, db); len(got) != 1 || got[0].Hidden {
		t.Errorf("history after removing the hidden twin = %+v, want it shown", got)
	}
}

// TestRestoreTwinHiddenElsewhere: a weigh-in hidden through one source's row is restored from the row it shows,
// even when a better twin arrived after the hiding.
func TestRestoreTwinHiddenElsewhere(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	imp := mustSource(t, db, KindImport)
	fb := mustAccount(t, db, "fitbit", "U1")
	mustUpsert(t, db, tally{Added: 1}, Measurement{SourceID: imp.ID, Provider: "import", ExternalID: "csv:1", Date: "2026-01-12",
		Time: "07:15:00", WeightKg: 95, Method: MethodImport})
	if err := db.SetHidden(ctx, imp.ID, "import", "csv:1", true); err != nil {
		t.Fatal(err)
	}
	mustUpsert(t, db, tally{Merged: 1}, Measurement{SourceID: fb.SourceID, Provider: "fitbit", ExternalID: "9", Date: "2026-01-12",
		Time: "07:15:09", WeightKg: 95.05, Method: MethodDevice})
	h, err := db.History(ctx)
	if err != nil || len(h) != 1 || !h[0].Hidden || h[0].Provider != "fitbit" {
		t.Fatalf("history = %+v, %v; want the Fitbit row shown, hidden through its twin", h, err)
	}
	if err := db.SetHidden(ctx, fb.SourceID, "fitbit", "9", false); err != nil { // the row the page offers
		t.Fatal(err)
	}
	if h, _ := db.History(ctx); len(h) != 1 || h[0].Hidden {
		t.Errorf("after restoring the shown row: %+v, want the weigh-in visible", h)
	}
}
