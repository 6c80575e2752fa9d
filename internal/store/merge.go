package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Outcome is what became of one row of a batch.
type Outcome int

const (
	Added     Outcome = iota // a new weigh-in
	Updated                  // the same source's row, with new values
	Unchanged                // the same source's row, already as given
	Merged                   // a new row of a weigh-in the history already held from another source
)

// UpsertResult counts what UpsertMeasurements did with each row of a batch.
type UpsertResult struct {
	Added, Updated, Unchanged, Merged int
	Outcomes                          []Outcome // one per row, in order
}

// MergeTolerance is how close, in kilograms, two readings of the same minute must be to be one weigh-in: an
// export in pounds converts to a few grams off the kilograms the API reports, and apps round to 0.1 kg.
const MergeTolerance = 0.1

// UpsertMeasurements stores a batch in one transaction; any invalid row or failure rolls back the whole batch.
//
// A row is keyed by (SourceID, Provider, ExternalID): the same key again is Unchanged or Updated, so syncing
// twice changes nothing. Every source keeps its own rows: a row with a new key is stored even when another source
// already holds the same weigh-in (it is then counted Merged), and History shows each weigh-in once.
func (db *DB) UpsertMeasurements(ctx context.Context, ms []Measurement) (UpsertResult, error) {
	defer db.changed()
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
	res, err := merge(ctx, tx, ms, formatTime(db.now()))
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: upsert measurements: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return UpsertResult{}, fmt.Errorf("store: upsert measurements: commit: %w", err)
	}
	return res, nil
}

func merge(ctx context.Context, tx *sql.Tx, ms []Measurement, now string) (UpsertResult, error) {
	// The foreign key would catch a row for an unknown source, but only as a constraint error.
	if err := sourcesExist(ctx, tx, ms); err != nil {
		return UpsertResult{}, err
	}
	idx, err := loadIndex(ctx, tx, ms)
	if err != nil {
		return UpsertResult{}, err
	}
	res := UpsertResult{Outcomes: make([]Outcome, len(ms))}
	var inserts []Measurement
	for i, m := range ms {
		var o Outcome
		if stored, ok := idx.byKey[keyOf(m)]; ok {
			o, err = mergeSameKey(ctx, tx, stored, m, now)
		} else {
			o = Added
			if idx.twin(m) != nil {
				o = Merged
			}
			inserts = append(inserts, m)
			idx.add(&known{m: m}) // later rows of the batch see it
		}
		if err != nil {
			return UpsertResult{}, fmt.Errorf("row %d (%s %s): %w", i, m.Provider, m.ExternalID, err)
		}
		res.Outcomes[i] = o
		switch o {
		case Added:
			res.Added++
		case Updated:
			res.Updated++
		case Unchanged:
			res.Unchanged++
		case Merged:
			res.Merged++
		}
	}
	return res, insertAll(ctx, tx, inserts, now)
}

func mergeSameKey(ctx context.Context, tx *sql.Tx, stored *known, m Measurement, now string) (Outcome, error) {
	// A row the person claimed stays claimed when the provider still cannot attribute it.
	m.Unclaimed = m.Unclaimed && stored.m.Unclaimed
	switch {
	case equalMeasurements(stored.m, m):
		return Unchanged, nil
	case stored.id == 0:
		return Unchanged, nil // the same key twice in one batch: the first stands
	}
	_, err := tx.ExecContext(ctx, `UPDATE measurements
		SET date = ?, time = ?, time_zone = ?, weight_kg = ?, fat_pct = ?, bmi = ?, source = ?, log_id = ?, method = ?,
		    unclaimed = ?, updated_at = ?
		WHERE id = ?`, m.Date, m.Time, m.TimeZone, m.WeightKg, m.FatPct, m.BMI, m.Source, nullLogID(m), m.Method, m.Unclaimed, now, stored.id)
	stored.m = m
	return Updated, err
}

// insertAll writes the new rows with multi-row INSERTs, one statement prepared per size: a decade of weigh-ins
// is a hundred executions of two prepared statements.
func insertAll(ctx context.Context, tx *sql.Tx, ms []Measurement, now string) error {
	const perRow = 15
	const rowsPerStatement = 2 * chunk / perRow // 57 rows, 798 parameters
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	args := make([]any, 0, rowsPerStatement*perRow)
	for start := 0; start < len(ms); start += rowsPerStatement {
		part := ms[start:min(start+rowsPerStatement, len(ms))]
		st, ok := stmts[len(part)]
		if !ok {
			values := "(" + strings.Repeat("?,", perRow-1) + "?)"
			q := `INSERT INTO measurements (` + measurementColumns + `, created_at, updated_at) VALUES ` +
				values + strings.Repeat(","+values, len(part)-1)
			var err error
			if st, err = tx.PrepareContext(ctx, q); err != nil {
				return fmt.Errorf("insert: %w", err)
			}
			stmts[len(part)] = st
		}
		args = args[:0]
		for _, m := range part {
			args = append(args, m.SourceID, m.Provider, m.ExternalID, m.Date, m.Time, m.TimeZone, m.WeightKg,
				m.FatPct, m.BMI, m.Source, nullLogID(m), m.Method, m.Unclaimed, now, now)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
	}
	return nil
}

func nullLogID(m Measurement) sql.NullInt64 {
	return sql.NullInt64{Int64: m.LogID, Valid: m.LogID != 0}
}

func sourcesExist(ctx context.Context, tx *sql.Tx, ms []Measurement) error {
	seen := map[int64]bool{}
	for _, m := range ms {
		if seen[m.SourceID] {
			continue
		}
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM sources WHERE id = ?`, m.SourceID).Scan(&one); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("source %d: %w", m.SourceID, ErrNotFound)
			}
			return err
		}
		seen[m.SourceID] = true
	}
	return nil
}
