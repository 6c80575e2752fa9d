package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrExists is returned when a row with the same unique name is already stored.
var ErrExists = errors.New("store: already exists")

// APIToken is one API token as stored: never its text, only the SHA-256 of it.
type APIToken struct {
	Name       string
	Hash       []byte // SHA-256 of the token's text
	SourceID   int64  // the api source its pushed weigh-ins belong to
	CreatedAt  time.Time
	LastUsedAt time.Time // zero until first used
}

const apiTokenColumns = `token_hash, name, source_id, created_at, last_used_at`

// CreateAPIToken stores a token known by hash under name, with a new source of kind api named after it, in one
// transaction. ErrExists when a token of that name exists.
func (db *DB) CreateAPIToken(ctx context.Context, name string, hash []byte) (APIToken, error) {
	defer db.changed()
	if strings.TrimSpace(name) == "" || len(hash) != 32 {
		return APIToken{}, errors.New("store: create api token: a name and a 32-byte hash are required")
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return APIToken{}, fmt.Errorf("store: create api token: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM api_tokens WHERE name = ?`, name).Scan(&n); err != nil {
		return APIToken{}, fmt.Errorf("store: create api token: %w", err)
	}
	if n > 0 {
		return APIToken{}, fmt.Errorf("store: create api token %q: %w", name, ErrExists)
	}
	now := formatTime(db.now())
	var sourceID int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO sources (kind, provider, name, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		KindAPI, KindAPI, name, now).Scan(&sourceID); err != nil {
		return APIToken{}, fmt.Errorf("store: create api token: source: %w", err)
	}
	row := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (token_hash, name, source_id, created_at) VALUES (?, ?, ?, ?)
		RETURNING `+apiTokenColumns, hash, name, sourceID, now)
	t, err := scanAPIToken(row)
	if err != nil {
		return APIToken{}, fmt.Errorf("store: create api token: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return APIToken{}, fmt.Errorf("store: create api token: commit: %w", err)
	}
	return t, nil
}

// APITokenByHash returns the token known by hash, or ErrNotFound. It is read on every API request, so a token
// created or revoked by the token command while the server runs takes effect at once.
func (db *DB) APITokenByHash(ctx context.Context, hash []byte) (APIToken, error) {
	t, err := scanAPIToken(db.db.QueryRowContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return APIToken{}, ErrNotFound
	}
	if err != nil {
		return APIToken{}, fmt.Errorf("store: api token: %w", err)
	}
	return t, nil
}

// APITokens returns every token, oldest first.
func (db *DB) APITokens(ctx context.Context) ([]APIToken, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens ORDER BY created_at, name`)
	if err != nil {
		return nil, fmt.Errorf("store: api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("store: api tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: api tokens: %w", err)
	}
	return out, nil
}

// TouchAPIToken records a use of the token now.
func (db *DB) TouchAPIToken(ctx context.Context, hash []byte) error {
	if _, err := db.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`, formatTime(db.now()), hash); err != nil {
		return fmt.Errorf("store: touch api token: %w", err)
	}
	return nil
}

// RevokeAPIToken deletes the token named name: it stops working at once. Its source and weigh-ins stay (the
// Sources page removes them). ErrNotFound when there is no such token.
func (db *DB) RevokeAPIToken(ctx context.Context, name string) error {
	defer db.changed()
	res, err := db.db.ExecContext(ctx, `DELETE FROM api_tokens WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("store: revoke api token: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(fmt.Errorf("store: revoke api token %q: %w", name, ErrNotFound), err)
	}
	return nil
}

func scanAPIToken(row scanner) (APIToken, error) {
	var t APIToken
	var created, used string
	if err := row.Scan(&t.Hash, &t.Name, &t.SourceID, &created, &used); err != nil {
		return APIToken{}, err
	}
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return APIToken{}, err
	}
	if used != "" {
		if t.LastUsedAt, err = parseTime(used); err != nil {
			return APIToken{}, err
		}
	}
	return t, nil
}
