package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Import stores one imported file's weigh-ins as a source of its own, in one transaction: the whole file or none
// of it. A file imported before (the same Fingerprint) reuses its source, so importing it again adds nothing.
// Each row's SourceID is set here. It returns the outcomes and the source.
func (db *DB) Import(ctx context.Context, src Source, fingerprint string, ms []Measurement) (UpsertResult, Source, error) {
	defer db.changed()
	if fingerprint == "" {
		return UpsertResult{}, Source{}, errors.New("store: import: empty fingerprint")
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return UpsertResult{}, Source{}, fmt.Errorf("store: import: %w", err)
	}
	defer tx.Rollback()
	now := formatTime(db.now())
	stored, err := scanSource(tx.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE kind = 'import' AND fingerprint = ?`, fingerprint))
	if errors.Is(err, sql.ErrNoRows) {
		stored, err = scanSource(tx.QueryRowContext(ctx, `INSERT INTO sources (kind, provider, name, detail, fingerprint, created_at)
			VALUES ('import', 'import', ?, ?, ?, ?) RETURNING `+sourceColumns, src.Name, src.Detail, fingerprint, now))
	}
	if err != nil {
		return UpsertResult{}, Source{}, fmt.Errorf("store: import: source: %w", err)
	}
	for i := range ms {
		ms[i].SourceID = stored.ID
		if err := validateMeasurement(ms[i]); err != nil {
			return UpsertResult{}, Source{}, fmt.Errorf("store: import: row %d (%s): %w", i, ms[i].ExternalID, err)
		}
	}
	res, err := merge(ctx, tx, ms, now)
	if err != nil {
		return UpsertResult{}, Source{}, fmt.Errorf("store: import: %w", err)
	}
	stored, err = scanSource(tx.QueryRowContext(ctx, `UPDATE sources SET last_at = ? WHERE id = ? RETURNING `+sourceColumns, now, stored.ID))
	if err != nil {
		return UpsertResult{}, Source{}, fmt.Errorf("store: import: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return UpsertResult{}, Source{}, fmt.Errorf("store: import: commit: %w", err)
	}
	return res, stored, nil
}
