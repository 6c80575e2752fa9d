package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// SyncState is how far an account's sync has got: every day in [Oldest, Newest] has been fetched, and Complete
// says the backfill reached the start of the history. The zero value means nothing was fetched yet.
type SyncState struct {
	Newest, Oldest string // YYYY-MM-DD, "" none
	Complete       bool
}

// SyncState returns the account's sync state; the zero value when it never synced.
func (db *DB) SyncState(ctx context.Context, accountID int64) (SyncState, error) {
	var s SyncState
	err := db.db.QueryRowContext(ctx, `SELECT newest, oldest, complete FROM sync_state WHERE account_id = ?`, accountID).
		Scan(&s.Newest, &s.Oldest, &s.Complete)
	if errors.Is(err, sql.ErrNoRows) {
		return SyncState{}, nil
	}
	if err != nil {
		return SyncState{}, fmt.Errorf("store: sync state of account %d: %w", accountID, err)
	}
	return s, nil
}

// Window is one step of a sync: the weigh-ins a provider reported for [From, To] and the sync state once they
// are stored.
type Window struct {
	AccountID int64
	Provider  string
	From, To  string // YYYY-MM-DD, inclusive
	Rows      []Measurement
	// Mirror makes the provider's answer the truth for the window: this account's synced rows from this
	// provider that the answer no longer lists were deleted upstream and are removed. Imported rows never are.
	Mirror bool
	State  SyncState
}

// CommitWindow stores a window's weigh-ins, mirrors deletions when asked, and records the sync state, all in
// one transaction: a crash leaves either the whole window or none of it.
func (db *DB) CommitWindow(ctx context.Context, w Window) (UpsertResult, error) {
	defer db.changed()
	for i, m := range w.Rows {
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
		ids := make([]string, len(w.Rows))
		for i, m := range w.Rows {
			ids[i] = m.ExternalID
		}
		keep, _ := json.Marshal(ids)
		_, err = tx.ExecContext(ctx, `DELETE FROM measurements
			WHERE account_id = ? AND provider = ? AND origin = 'sync' AND date BETWEEN ? AND ?
			  AND external_id NOT IN (SELECT value FROM json_each(?))`,
			w.AccountID, w.Provider, w.From, w.To, string(keep))
		if err != nil {
			return UpsertResult{}, fmt.Errorf("store: commit window: mirror deletions: %w", err)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO sync_state (account_id, newest, oldest, complete, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET newest = excluded.newest, oldest = excluded.oldest,
			complete = excluded.complete, updated_at = excluded.updated_at`,
		w.AccountID, w.State.Newest, w.State.Oldest, w.State.Complete, now)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("store: commit window: sync state: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return UpsertResult{}, fmt.Errorf("store: commit window: commit: %w", err)
	}
	return res, nil
}

// ConnectedAccounts returns every account that has credentials, for the scheduled sync.
func (db *DB) ConnectedAccounts(ctx context.Context) ([]Account, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT a.id, a.provider, a.external_user_id, a.display_name, a.time_zone,
		a.height_cm, a.member_since, a.needs_reconnect, a.created_at, a.updated_at
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
