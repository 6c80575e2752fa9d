package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Cursor returns where the source's next sync resumes: the provider's own encoding, nil when it never synced.
func (db *DB) Cursor(ctx context.Context, sourceID int64) ([]byte, error) {
	var c string
	err := db.db.QueryRowContext(ctx, `SELECT cursor FROM sources WHERE id = ?`, sourceID).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: cursor of source %d: %w", sourceID, err)
	}
	if c == "" {
		return nil, nil
	}
	return []byte(c), nil
}

// Window is one step of a sync: the weigh-ins a provider reported and the cursor once they are stored.
type Window struct {
	SourceID int64
	Rows     []Measurement
	// Mirror, when set, makes the provider's answer the truth for the local dates [From, To]: the source's rows in
	// them that neither Rows nor Keep lists were deleted upstream and are removed.
	Mirror   bool
	From, To string   // YYYY-MM-DD, inclusive
	Keep     []string // external ids the provider still lists in the span, besides Rows'
	Cursor   []byte   // nil leaves the stored cursor as it is
	Done     bool     // the sync finished: the source's last sync time is now
}

// CommitWindow stores a window's weigh-ins, mirrors deletions when asked, and records the cursor, all in one
// transaction: a crash leaves either the whole window or none of it.
func (db *DB) CommitWindow(ctx context.Context, w Window) (UpsertResult, error) {
	defer db.changed()
	for i, m := range w.Rows {
		if m.SourceID != w.SourceID {
			return UpsertResult{}, fmt.Errorf("store: commit window: row %d belongs to source %d, not %d", i, m.SourceID, w.SourceID)
		}
		if err := validateMeasurement(m); err != nil {
			return UpsertResult{}, fmt.Errorf("store: commit window: row %d (%s %s): %w", i, m.Provider, m.ExternalID, err)
		}
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: commit window: %w", err)
	}
	defer tx.Rollback()
	now := formatTime(db.now())
	res, err := merge(ctx, tx, w.Rows, now)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: commit window: %w", err)
	}
	if w.Mirror {
		ids := append([]string{}, w.Keep...)
		for _, m := range w.Rows {
			ids = append(ids, m.ExternalID)
		}
		keep, _ := json.Marshal(ids)
		_, err = tx.ExecContext(ctx, `DELETE FROM measurements
			WHERE source_id = ? AND date BETWEEN ? AND ? AND method NOT IN ('import', 'manual')
			  AND external_id NOT IN (SELECT value FROM json_each(?))`,
			w.SourceID, w.From, w.To, string(keep))
		if err != nil {
			return UpsertResult{}, fmt.Errorf("store: commit window: mirror deletions: %w", err)
		}
	}
	if w.Cursor != nil {
		if _, err = tx.ExecContext(ctx, `UPDATE sources SET cursor = ? WHERE id = ?`, string(w.Cursor), w.SourceID); err != nil {
			return UpsertResult{}, fmt.Errorf("store: commit window: cursor: %w", err)
		}
	}
	if w.Done {
		if _, err = tx.ExecContext(ctx, `UPDATE sources SET last_at = ? WHERE id = ?`, now, w.SourceID); err != nil {
			return UpsertResult{}, fmt.Errorf("store: commit window: last sync: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return UpsertResult{}, fmt.Errorf("store: commit window: commit: %w", err)
	}
	return res, nil
}

// ConnectedAccounts returns every account that has credentials, for the scheduled sync.
func (db *DB) ConnectedAccounts(ctx context.Context) ([]Account, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+accountColumnsA+`
		FROM accounts a JOIN credentials c ON c.account_id = a.id ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("store: connected accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: connected accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
