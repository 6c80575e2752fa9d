package importer

import (
	"strconv"
	"testing"

	"github.com/bodystats/bodystats/internal/store"
)

// synced stores ws as a connected account's weigh-ins (a scale's own readings, a few grams off the file's, at
// the same instants): the history the import meets.
func synced(t *testing.T, db *store.DB, ws []want) store.UpsertResult {
	t.Helper()
	acct, err := db.UpsertAccount(t.Context(), store.Account{Provider: "withings", ExternalUserID: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	var ms []store.Measurement
	for i, w := range ws {
		zone := w.zone
		if zone == "" {
			zone = "+01:00"
		}
		ms = append(ms, store.Measurement{SourceID: acct.SourceID, Provider: "withings", ExternalID: "grp-" + strconv.Itoa(i),
			Date: w.date, Time: w.clock, TimeZone: zone, WeightKg: w.kg + 0.04, Source: "Body+", Method: store.MethodDevice})
	}
	res, err := db.UpsertMeasurements(t.Context(), ms)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestImportMergesWithSync: every format's import meets a synced history of the same weigh-ins, before or
// after it, and the history holds each weigh-in once.
func TestImportMergesWithSync(t *testing.T) {
	for _, tc := range formatCases(t) {
		opts := Options{}
		if tc.name == "GenericCSVWithBOMSemicolonsDecimalCommas" {
			opts.Unit = "kg"
		}
		t.Run(tc.name+"/SyncThenImport", func(t *testing.T) {
			db := mustOpen(t)
			synced(t, db, tc.want)
			sum, err := ImportPath(t.Context(), db, writeFile(t, tc.file, tc.data), opts)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Added != 0 || sum.Merged != len(tc.want) {
				t.Errorf("%d added, %d merged; want 0 and %d", sum.Added, sum.Merged, len(tc.want))
			}
			hist, err := db.History(t.Context())
			if err != nil || len(hist) != len(tc.want) {
				t.Fatalf("history %d rows (%v), want %d", len(hist), err, len(tc.want))
			}
			for _, m := range hist {
				if m.Method != store.MethodDevice {
					t.Errorf("the history shows %+v, want the scale's own reading over the import", m)
				}
			}
		})
		t.Run(tc.name+"/ImportThenSync", func(t *testing.T) {
			db := mustOpen(t)
			if _, err := ImportPath(t.Context(), db, writeFile(t, tc.file, tc.data), opts); err != nil {
				t.Fatal(err)
			}
			if res := synced(t, db, tc.want); res.Merged != len(tc.want) {
				t.Errorf("the sync merged %d of %d", res.Merged, len(tc.want))
			}
			if hist, err := db.History(t.Context()); err != nil || len(hist) != len(tc.want) {
				t.Fatalf("history %d rows (%v), want %d", len(hist), err, len(tc.want))
			}
		})
	}
}
