package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
)

// Measurement is one weigh-in.
type Measurement struct {
	AccountID  int64
	Provider   string
	ExternalID string   // Fitbit logId as decimal text, Google data point name, or an import hash
	Date       string   // YYYY-MM-DD, local as the provider gives it
	Time       string   // HH:MM:SS, local
	TimeZone   string   // the account's zone at the time of sync
	WeightKg   float64  // never rounded
	FatPct     *float64 // nil when not measured
	BMI        *float64 // nil when the provider reported none
	Source     string   // "Aria", "Web", "API", "import", ...
}

// UpsertResult counts what UpsertMeasurements did with each row of a batch.
type UpsertResult struct{ Added, Updated, Unchanged int }

const measurementColumns = `account_id, provider, external_id, date, time, time_zone, weight_kg, fat_pct, bmi, source`

// UpsertMeasurements stores a batch in one transaction, keyed by (AccountID, Provider, ExternalID). A row equal
// to the stored one is counted Unchanged and not rewritten, so syncing twice changes nothing. Any invalid row
// or failure rolls back the whole batch.
func (db *DB) UpsertMeasurements(ctx context.Context, ms []Measurement) (UpsertResult, error) {
	for i, m := range ms {
		if err := validateMeasurement(m); err != nil {
			return UpsertResult{}, fmt.Errorf("store: upsert measurements: row %d (%s %s): %w", i, m.Provider, m.ExternalID, err)
		}
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: upsert measurements: %w", err)
	}
	defer tx.Rollback()

	sel, err := tx.PrepareContext(ctx, `SELECT `+measurementColumns+` FROM measurements
		WHERE account_id = ? AND provider = ? AND external_id = ?`)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: upsert measurements: %w", err)
	}
	defer sel.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO measurements (`+measurementColumns+`, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: upsert measurements: %w", err)
	}
	defer ins.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE measurements
		SET date = ?, time = ?, time_zone = ?, weight_kg = ?, fat_pct = ?, bmi = ?, source = ?, updated_at = ?
		WHERE account_id = ? AND provider = ? AND external_id = ?`)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: upsert measurements: %w", err)
	}
	defer upd.Close()

	now := formatTime(db.now())
	var res UpsertResult
	for i, m := range ms {
		stored, err := scanMeasurement(sel.QueryRowContext(ctx, m.AccountID, m.Provider, m.ExternalID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = ins.ExecContext(ctx, m.AccountID, m.Provider, m.ExternalID, m.Date, m.Time, m.TimeZone,
				m.WeightKg, m.FatPct, m.BMI, m.Source, now, now)
			res.Added++
		case err != nil:
		case equalMeasurements(stored, m):
			res.Unchanged++
		default:
			_, err = upd.ExecContext(ctx, m.Date, m.Time, m.TimeZone, m.WeightKg, m.FatPct, m.BMI, m.Source, now,
				m.AccountID, m.Provider, m.ExternalID)
			res.Updated++
		}
		if err != nil {
			return UpsertResult{}, fmt.Errorf("store: upsert measurements: row %d (%s %s): %w", i, m.Provider, m.ExternalID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return UpsertResult{}, fmt.Errorf("store: upsert measurements: commit: %w", err)
	}
	return res, nil
}

// validateMeasurement checks what the schema's CHECKs cannot say well: NaN (SQLite stores it as NULL),
// infinities, and real calendar dates.
func validateMeasurement(m Measurement) error {
	switch {
	case m.AccountID <= 0:
		return fmt.Errorf("bad account id %d", m.AccountID)
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
	return a.AccountID == b.AccountID && a.Provider == b.Provider && a.ExternalID == b.ExternalID &&
		a.Date == b.Date && a.Time == b.Time && a.TimeZone == b.TimeZone && a.WeightKg == b.WeightKg &&
		equalOptional(a.FatPct, b.FatPct) && equalOptional(a.BMI, b.BMI) && a.Source == b.Source
}

func equalOptional(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Measurements returns the account's weigh-ins, oldest first.
func (db *DB) Measurements(ctx context.Context, accountID int64) ([]Measurement, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+measurementColumns+` FROM measurements
		WHERE account_id = ? ORDER BY date, time, external_id`, accountID)
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

// LatestMeasurement returns the account's newest weigh-in, or ErrNotFound.
func (db *DB) LatestMeasurement(ctx context.Context, accountID int64) (Measurement, error) {
	m, err := scanMeasurement(db.db.QueryRowContext(ctx, `SELECT `+measurementColumns+` FROM measurements
		WHERE account_id = ? ORDER BY date DESC, time DESC, external_id DESC LIMIT 1`, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return Measurement{}, ErrNotFound
	}
	if err != nil {
		return Measurement{}, fmt.Errorf("store: latest measurement: %w", err)
	}
	return m, nil
}

// CountMeasurements returns how many weigh-ins the account has.
func (db *DB) CountMeasurements(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM measurements WHERE account_id = ?`, accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count measurements: %w", err)
	}
	return n, nil
}

// EachMeasurement calls fn for every account's weigh-ins, ordered by date, time, provider and external id,
// reading rows as it goes rather than loading them all. It stops at the first error fn returns and returns that
// error unchanged, so a caller can recognise its own.
func (db *DB) EachMeasurement(ctx context.Context, fn func(Measurement) error) error {
	rows, err := db.db.QueryContext(ctx, `SELECT `+measurementColumns+` FROM measurements
		ORDER BY date, time, provider, external_id, account_id`)
	if err != nil {
		return fmt.Errorf("store: each measurement: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMeasurement(rows)
		if err != nil {
			return fmt.Errorf("store: each measurement: %w", err)
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: each measurement: %w", err)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

func scanMeasurement(s scanner) (Measurement, error) {
	var m Measurement
	var fat, bmi sql.NullFloat64
	err := s.Scan(&m.AccountID, &m.Provider, &m.ExternalID, &m.Date, &m.Time, &m.TimeZone, &m.WeightKg, &fat, &bmi,
		&m.Source)
	if err != nil {
		return Measurement{}, err
	}
	if fat.Valid {
		m.FatPct = &fat.Float64
	}
	if bmi.Valid {
		m.BMI = &bmi.Float64
	}
	return m, nil
}
