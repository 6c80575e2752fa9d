package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

func flowAt(key string) []byte { return sealedAt("flows", key, "payload") }

// PutFlow stores a pending sign-in for ttl, replacing any flow already stored under key. key identifies the
// browser session; callers pass a hash of it, not the cookie value.
func (db *DB) PutFlow(ctx context.Context, key string, payload []byte, ttl time.Duration) error {
	if key == "" {
		return errors.New("store: put flow: empty key")
	}
	if ttl <= 0 {
		return fmt.Errorf("store: put flow: ttl %v must be positive", ttl)
	}
	now := db.now()
	_, err := db.db.ExecContext(ctx, `
		INSERT INTO flows (key, payload, created_at, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			payload = excluded.payload, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		key, db.seal(payload, flowAt(key)), formatTime(now), formatTime(now.Add(ttl)))
	if err != nil {
		return fmt.Errorf("store: put flow: %w", err)
	}
	return nil
}

// Flow returns the payload stored under key without consuming it: ErrNotFound when there is none, ErrExpired
// when it is past its expiry. A callback reads it, then claims it with DeleteFlow.
func (db *DB) Flow(ctx context.Context, key string) ([]byte, error) {
	var sealed []byte
	var expires string
	err := db.db.QueryRowContext(ctx, `SELECT payload, expires_at FROM flows WHERE key = ?`, key).
		Scan(&sealed, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: flow: %w", err)
	}
	expiresAt, err := parseTime(expires)
	if err != nil {
		return nil, fmt.Errorf("store: flow: %w", err)
	}
	if !db.now().Before(expiresAt) {
		return nil, ErrExpired
	}
	payload, err := db.unseal(sealed, flowAt(key))
	if err != nil {
		return nil, fmt.Errorf("store: open sealed flow: %w", err)
	}
	return payload, nil
}

// DeleteFlow removes the flow stored under key. It reports true only to the caller whose DELETE removed the
// row, so of two concurrent callbacks for one sign-in exactly one proceeds.
func (db *DB) DeleteFlow(ctx context.Context, key string) (bool, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM flows WHERE key = ?`, key)
	if err != nil {
		return false, fmt.Errorf("store: delete flow: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: delete flow: %w", err)
	}
	return n == 1, nil
}

// PruneFlows deletes every expired flow.
func (db *DB) PruneFlows(ctx context.Context) error {
	_, err := db.db.ExecContext(ctx, `DELETE FROM flows WHERE expires_at <= ?`, formatTime(db.now()))
	if err != nil {
		return fmt.Errorf("store: prune flows: %w", err)
	}
	return nil
}
