package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
)

// Measurement is one weigh-in from one source.
type Measurement struct {
	SourceID   int64
	Provider   string   // the provider id of the source that wrote it ("import", "manual", "api" for the others)
	ExternalID string   // Fitbit logId as decimal text, Google data point name, or an import hash
	Date       string   // YYYY-MM-DD, local as the provider gives it
	Time       string   // HH:MM:SS, local
	TimeZone   string   // an IANA name or a UTC offset ("+01:00"); "" when unknown, and then only the local time is compared
	WeightKg   float64  // never rounded
	FatPct     *float64 // nil when not measured
	BMI        *float64 // nil when the provider reported none
	Source     string   // "Aria", "Web", "API", "import", ...
	LogID      int64    // Fitbit's logId when the source knows it (the Web API and Fitbit exports share it); 0 otherwise
	Method     Method   // how the reading was taken, which decides between twins; see Method
	Unclaimed  bool     // maybe another person's (a shared scale): kept, shown on the Sources page, out of the history until claimed
	Hidden     bool     // an outlier the person hid: out of the trend and charts, still stored and exported; set by SetHidden only
}

// measurementColumns are the columns a batch writes; readColumns adds what only SetHidden changes.
const measurementColumns = `source_id, provider, external_id, date, time, time_zone, weight_kg, fat_pct, bmi, source, log_id, method, unclaimed`

const readColumns = measurementColumns + `, hidden`

// validateMeasurement checks what the schema's CHECKs cannot say well: NaN (SQLite stores it as NULL),
// infinities, and real calendar dates.
func validateMeasurement(m Measurement) error {
	switch {
	case m.SourceID <= 0:
		return fmt.Errorf("bad source id %d", m.SourceID)
	case m.Method.rank() == 0:
		return fmt.Errorf("bad method %q", m.Method)
	case m.Provider == "" || m.ExternalID == "":
		return errors.New("provider and external id are required")
	case !validDate(m.Date):
		return fmt.Errorf("bad date %q (want YYYY-MM-DD)", m.Date)
	case !validClock(m.Time):
		return fmt.Errorf("bad time %q (want HH:MM:SS)", m.Time)
	case !finite(m.WeightKg) || m.WeightKg <= 0:
		return fmt.Errorf("bad weight %v kg", m.WeightKg)
	case m.FatPct != nil && (!finite(*m.FatPct) || *m.FatPct < 0 || *m.FatPct > 100):
		return fmt.Errorf("bad body fat %v%%", *m.FatPct)
	case m.BMI != nil && (!finite(*m.BMI) || *m.BMI <= 0):
		return fmt.Errorf("bad BMI %v", *m.BMI)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// equalMeasurements compares every stored value exactly: weights are never rounded, so neither is the test.
func equalMeasurements(a, b Measurement) bool {
	return a.SourceID == b.SourceID && a.Provider == b.Provider && a.ExternalID == b.ExternalID &&
		a.Date == b.Date && a.Time == b.Time && a.TimeZone == b.TimeZone && a.WeightKg == b.WeightKg &&
		equalOptional(a.FatPct, b.FatPct) && equalOptional(a.BMI, b.BMI) && a.Source == b.Source &&
		a.LogID == b.LogID && a.Method == b.Method && a.Unclaimed == b.Unclaimed // Hidden is the person's, not the source's: never compared
}

func equalOptional(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Measurements returns the source's own weigh-ins, oldest first.
func (db *DB) Measurements(ctx context.Context, sourceID int64) ([]Measurement, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+readColumns+` FROM measurements
		WHERE source_id = ? ORDER BY date, time, external_id`, sourceID)
	if err != nil {
		return nil, fmt.Errorf("store: measurements: %w", err)
	}
	defer rows.Close()
	var ms []Measurement
	for rows.Next() {
		m, err := scanMeasurement(rows)
		if err != nil {
			return nil, fmt.Errorf("store: measurements: %w", err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: measurements: %w", err)
	}
	return ms, nil
}

// LatestMeasurement returns the source's newest weigh-in, or ErrNotFound.
func (db *DB) LatestMeasurement(ctx context.Context, sourceID int64) (Measurement, error) {
	m, err := scanMeasurement(db.db.QueryRowContext(ctx, `SELECT `+readColumns+` FROM measurements
		WHERE source_id = ? ORDER BY date DESC, time DESC, external_id DESC LIMIT 1`, sourceID))
	if errors.Is(err, sql.ErrNoRows) {
		return Measurement{}, ErrNotFound
	}
	if err != nil {
		return Measurement{}, fmt.Errorf("store: latest measurement: %w", err)
	}
	return m, nil
}

// CountMeasurements returns how many weigh-ins the source holds.
func (db *DB) CountMeasurements(ctx context.Context, sourceID int64) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM measurements WHERE source_id = ?`, sourceID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count measurements: %w", err)
	}
	return n, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanMeasurement(s scanner) (Measurement, error) {
	var m Measurement
	var fat, bmi sql.NullFloat64
	var logID sql.NullInt64
	err := s.Scan(&m.SourceID, &m.Provider, &m.ExternalID, &m.Date, &m.Time, &m.TimeZone, &m.WeightKg, &fat, &bmi,
		&m.Source, &logID, &m.Method, &m.Unclaimed, &m.Hidden)
	if err != nil {
		return Measurement{}, err
	}
	m.LogID = logID.Int64
	if fat.Valid {
		m.FatPct = &fat.Float64
	}
	if bmi.Valid {
		m.BMI = &bmi.Float64
	}
	return m, nil
}
