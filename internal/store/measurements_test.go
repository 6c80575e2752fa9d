package store

import (
	"errors"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ptr(f float64) *float64 { return &f }

func weighIns(sourceID int64) []Measurement {
	return []Measurement{
		{SourceID: sourceID, Provider: "fitbit", ExternalID: "1001", Date: "2024-01-02", Time: "07:10:00",
			TimeZone: "Europe/Berlin", WeightKg: 81.64660628, FatPct: ptr(21.5), BMI: ptr(25.77), Source: "Aria",
			LogID: 1001, Method: MethodDevice},
		{SourceID: sourceID, Provider: "fitbit", ExternalID: "1002", Date: "2024-01-03", Time: "07:05:30",
			TimeZone: "Europe/Berlin", WeightKg: 81.2, Source: "Web", LogID: 1002, Method: MethodEntered},
		{SourceID: sourceID, Provider: "fitbit", ExternalID: "1000", Date: "2024-01-01", Time: "23:59:59",
			TimeZone: "Europe/Berlin", WeightKg: 82, BMI: ptr(25.9), Source: "API", LogID: 1000, Method: MethodEntered},
	}
}

func TestUpsertMeasurementsIdempotent(t *testing.T) {
	clk := newClock()
	db := mustOpenWith(t, filepath.Join(t.TempDir(), "bodystats.db"), Options{Key: testKey, Now: clk.Now})
	ctx := t.Context()
	a := mustAccount(t, db, "fitbit", "A")
	batch := weighIns(a.SourceID)

	got, err := db.UpsertMeasurements(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if want := (tally{Added: 3}); counts(got) != want {
		t.Errorf("first upsert = %+v, want %+v", got, want)
	}
	first, err := db.Measurements(ctx, a.SourceID)
	if err != nil {
		t.Fatal(err)
	}
	firstStamps := updatedAts(t, db)

	clk.Advance(time.Hour)
	got, err = db.UpsertMeasurements(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if want := (tally{Unchanged: 3}); counts(got) != want {
		t.Errorf("second upsert = %+v, want %+v", got, want)
	}
	second, err := db.Measurements(ctx, a.SourceID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("rows changed by an identical upsert (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(firstStamps, updatedAts(t, db)); diff != "" {
		t.Errorf("updated_at rewritten by an identical upsert (-first +second):\n%s", diff)
	}

	t.Run("ChangedWeightUpdates", func(t *testing.T) {
		changed := weighIns(a.SourceID)
		changed[1].WeightKg = 81.25
		changed[2].BMI = nil
		got, err := db.UpsertMeasurements(ctx, changed)
		if err != nil {
			t.Fatal(err)
		}
		if want := (tally{Updated: 2, Unchanged: 1}); counts(got) != want {
			t.Errorf("upsert = %+v, want %+v", got, want)
		}
		stored, err := db.Measurements(ctx, a.SourceID)
		if err != nil {
			t.Fatal(err)
		}
		want := []Measurement{changed[2], changed[0], changed[1]}
		if diff := cmp.Diff(want, stored); diff != "" {
			t.Errorf("stored (-want +got):\n%s", diff)
		}
	})
}

// updatedAts reads the raw updated_at column, which Measurement does not expose.
func updatedAts(t *testing.T, db *DB) map[string]string {
	t.Helper()
	rows, err := db.db.QueryContext(t.Context(), `SELECT external_id, updated_at FROM measurements`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var id, at string
		if err := rows.Scan(&id, &at); err != nil {
			t.Fatal(err)
		}
		m[id] = at
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestUpsertMeasurementsInvalidRollsBack(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "fitbit", "A")
	if _, err := db.UpsertMeasurements(ctx, weighIns(a.SourceID)[:1]); err != nil {
		t.Fatal(err)
	}
	valid := Measurement{SourceID: a.SourceID, Provider: "fitbit", ExternalID: "2000", Date: "2024-02-01", Time: "08:00:00",
		WeightKg: 80, Method: MethodDevice}

	for _, tc := range []struct {
		name string
		edit func(*Measurement)
	}{
		{"NoSource", func(m *Measurement) { m.SourceID = 0 }},
		{"UnknownSource", func(m *Measurement) { m.SourceID = a.SourceID + 100 }},
		{"NoMethod", func(m *Measurement) { m.Method = "" }},
		{"UnknownMethod", func(m *Measurement) { m.Method = "guess" }},
		{"NoProvider", func(m *Measurement) { m.Provider = "" }},
		{"NoExternalID", func(m *Measurement) { m.ExternalID = "" }},
		{"DateOneDigitMonth", func(m *Measurement) { m.Date = "2024-2-01" }},
		{"DateMonth13", func(m *Measurement) { m.Date = "2024-13-01" }},
		{"DateFeb30", func(m *Measurement) { m.Date = "2024-02-30" }},
		{"DateWithTime", func(m *Measurement) { m.Date = "2024-02-01T08:00:00" }},
		{"TimeOneDigitHour", func(m *Measurement) { m.Time = "8:00:00" }},
		{"Time24", func(m *Measurement) { m.Time = "24:00:00" }},
		{"TimeNoSeconds", func(m *Measurement) { m.Time = "08:00" }},
		{"WeightZero", func(m *Measurement) { m.WeightKg = 0 }},
		{"WeightNegative", func(m *Measurement) { m.WeightKg = -80 }},
		{"WeightNaN", func(m *Measurement) { m.WeightKg = math.NaN() }},
		{"WeightInf", func(m *Measurement) { m.WeightKg = math.Inf(1) }},
		{"FatNaN", func(m *Measurement) { m.FatPct = ptr(math.NaN()) }},
		{"FatOver100", func(m *Measurement) { m.FatPct = ptr(101) }},
		{"BMIZero", func(m *Measurement) { m.BMI = ptr(0) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := valid
			bad.ExternalID = "2001"
			tc.edit(&bad)
			// A change to an existing row and a new valid row come first: neither may survive.
			changed := weighIns(a.SourceID)[0]
			changed.WeightKg = 90
			if _, err := db.UpsertMeasurements(ctx, []Measurement{changed, valid, bad}); err == nil {
				t.Fatal("UpsertMeasurements succeeded, want error")
			}
			stored, err := db.Measurements(ctx, a.SourceID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(weighIns(a.SourceID)[:1], stored); diff != "" {
				t.Errorf("stored after failed batch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMeasurementValuesRoundTrip(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "fitbit", "A")
	weights := []float64{81.64660628, 0.1 + 0.2, math.Nextafter(70, 71), 1e-300, 453.59237}
	var batch []Measurement
	for i, w := range weights {
		batch = append(batch, Measurement{SourceID: a.SourceID, Provider: "fitbit", ExternalID: string(rune('a' + i)),
			Date: "2024-01-01", Time: "07:00:00", WeightKg: w, Method: MethodDevice})
	}
	batch[0].FatPct, batch[0].BMI = ptr(18.123456789012345), ptr(24.987654321098765)
	if _, err := db.UpsertMeasurements(ctx, batch); err != nil {
		t.Fatal(err)
	}
	stored, err := db.Measurements(ctx, a.SourceID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(batch) {
		t.Fatalf("got %d rows, want %d", len(stored), len(batch))
	}
	for i, m := range stored {
		if got, want := math.Float64bits(m.WeightKg), math.Float64bits(batch[i].WeightKg); got != want {
			t.Errorf("%s: weight bits = %x, want %x (%v vs %v)", m.ExternalID, got, want, m.WeightKg, batch[i].WeightKg)
		}
		if i > 0 && (m.FatPct != nil || m.BMI != nil) {
			t.Errorf("%s: FatPct, BMI = %v, %v; want nil, nil", m.ExternalID, m.FatPct, m.BMI)
		}
	}
	if diff := cmp.Diff(batch[0], stored[0]); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}
}

func TestLatestAndCount(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "fitbit", "A")
	b := mustAccount(t, db, "fitbit", "B")

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.LatestMeasurement(ctx, a.SourceID); !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
		if n, err := db.CountMeasurements(ctx, a.SourceID); err != nil || n != 0 {
			t.Errorf("CountMeasurements = %d, %v; want 0, nil", n, err)
		}
	})

	t.Run("OK", func(t *testing.T) {
		other := weighIns(b.SourceID)[0]
		other.WeightKg, other.LogID = 70, 0 // another person's weigh-in at the same moment
		if _, err := db.UpsertMeasurements(ctx, append(weighIns(a.SourceID), other)); err != nil {
			t.Fatal(err)
		}
		got, err := db.LatestMeasurement(ctx, a.SourceID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(weighIns(a.SourceID)[1], got); diff != "" {
			t.Errorf("latest (-want +got):\n%s", diff)
		}
		for _, tc := range []struct {
			id   int64
			want int
		}{{a.SourceID, 3}, {b.SourceID, 1}} {
			if n, err := db.CountMeasurements(ctx, tc.id); err != nil || n != tc.want {
				t.Errorf("CountMeasurements(%d) = %d, %v; want %d, nil", tc.id, n, err, tc.want)
			}
		}
	})
}

// TestHistoryOrder: distinct weigh-ins come out oldest first, ties by provider and external id, whatever order
// and source they were stored in.
func TestHistoryOrder(t *testing.T) {
	db := mustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "fitbit", "A")
	b := mustAccount(t, db, "google-health", "B")
	// Each a different weigh-in: readings at the same moment must differ by more than MergeTolerance.
	weight := 80.0
	row := func(source int64, provider, id, date, clock string) Measurement {
		weight++
		return Measurement{SourceID: source, Provider: provider, ExternalID: id, Date: date, Time: clock, WeightKg: weight,
			Method: MethodDevice}
	}
	// Listed in the order History must produce; stored shuffled.
	want := []Measurement{
		row(b.SourceID, "google-health", "dp/9", "2023-12-31", "08:00:00"),
		row(a.SourceID, "fitbit", "2", "2024-01-01", "07:00:00"),
		row(b.SourceID, "google-health", "dp/1", "2024-01-01", "07:00:00"),
		row(a.SourceID, "import", "1", "2024-01-01", "07:00:00"),
		row(a.SourceID, "fitbit", "10", "2024-01-01", "07:30:00"),
		row(a.SourceID, "fitbit", "1", "2024-01-02", "06:00:00"),
	}
	if _, err := db.UpsertMeasurements(ctx, []Measurement{want[4], want[1], want[5], want[0], want[3], want[2]}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, mustHistory(t, db)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// tally is an UpsertResult without its per-row outcomes, so results compare with ==.
type tally struct{ Added, Updated, Unchanged, Merged int }

func counts(r UpsertResult) tally { return tally{r.Added, r.Updated, r.Unchanged, r.Merged} }
