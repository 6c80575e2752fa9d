package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PasswordHash returns the stored password hash; ErrNotFound when no password is set. It is read on every
// request, so a password set by the passwd command while the server runs takes effect at once.
func (db *DB) PasswordHash(ctx context.Context) (string, error) {
	var h string
	err := db.db.QueryRowContext(ctx, `SELECT password_hash FROM auth WHERE id = 1`).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: password hash: %w", err)
	}
	return h, nil
}

// SetPassword stores a new password hash and, in the same transaction, ends every signed-in session but keep
// (nil: every one). The hash is an argon2id encoding; the table refuses anything else.
func (db *DB) SetPassword(ctx context.Context, hash string, keep []byte) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO auth (id, password_hash, updated_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
		hash, formatTime(db.now())); err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_sessions WHERE token_hash IS NOT ?`, keep); err != nil {
		return fmt.Errorf("store: set password: end sessions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	return nil
}

// SignIn is one signed-in browser session.
type SignIn struct {
	Created, LastSeen time.Time
	IdleUntil         time.Time // ends when unused until then
	Expires           time.Time // ends then whatever its use
}

// CreateSignIn starts a session known by tokenHash (the SHA-256 of the cookie's token), ending after idle
// without use and after absolute in any case.
func (db *DB) CreateSignIn(ctx context.Context, tokenHash []byte, idle, absolute time.Duration) (SignIn, error) {
	now := db.now()
	s := SignIn{Created: now, LastSeen: now, Expires: now.Add(absolute)}
	s.IdleUntil = minTime(now.Add(idle), s.Expires)
	_, err := db.db.ExecContext(ctx, `INSERT INTO signin_sessions (token_hash, created_at, last_seen_at, idle_until, expires_at)
		VALUES (?, ?, ?, ?, ?)`, tokenHash, formatTime(now), formatTime(now), formatTime(s.IdleUntil), formatTime(s.Expires))
	if err != nil {
		return SignIn{}, fmt.Errorf("store: create sign-in: %w", err)
	}
	return s, nil
}

// SignInSession returns the session known by tokenHash: ErrNotFound when there is none, ErrExpired (and the
// row is gone) when it has ended.
func (db *DB) SignInSession(ctx context.Context, tokenHash []byte) (SignIn, error) {
	var created, seen, idle, expires string
	err := db.db.QueryRowContext(ctx, `SELECT created_at, last_seen_at, idle_until, expires_at FROM signin_sessions
		WHERE token_hash = ?`, tokenHash).Scan(&created, &seen, &idle, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return SignIn{}, ErrNotFound
	}
	if err != nil {
		return SignIn{}, fmt.Errorf("store: sign-in: %w", err)
	}
	s, err := parseSignIn(created, seen, idle, expires)
	if err != nil {
		return SignIn{}, err
	}
	if now := db.now(); !now.Before(s.IdleUntil) || !now.Before(s.Expires) {
		if _, err := db.DeleteSignIn(ctx, tokenHash); err != nil {
			return SignIn{}, err
		}
		return SignIn{}, ErrExpired
	}
	return s, nil
}

// TouchSignIn records a use of the session: its idle expiry moves to idle from now, never past its absolute one.
func (db *DB) TouchSignIn(ctx context.Context, tokenHash []byte, idle time.Duration) error {
	now := db.now()
	_, err := db.db.ExecContext(ctx, `UPDATE signin_sessions SET last_seen_at = ?, idle_until = min(?, expires_at)
		WHERE token_hash = ?`, formatTime(now), formatTime(now.Add(idle)), tokenHash)
	if err != nil {
		return fmt.Errorf("store: touch sign-in: %w", err)
	}
	return nil
}

// DeleteSignIn ends one session; false when there was none.
func (db *DB) DeleteSignIn(ctx context.Context, tokenHash []byte) (bool, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM signin_sessions WHERE token_hash = ?`, tokenHash)
	if err != nil {
		return false, fmt.Errorf("store: delete sign-in: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DeleteSignIns ends every session but keep (nil: every one) and returns how many ended.
func (db *DB) DeleteSignIns(ctx context.Context, keep []byte) (int64, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM signin_sessions WHERE token_hash IS NOT ?`, keep)
	if err != nil {
		return 0, fmt.Errorf("store: delete sign-ins: %w", err)
	}
	return res.RowsAffected()
}

// PruneSignIns deletes ended sessions.
func (db *DB) PruneSignIns(ctx context.Context) error {
	now := formatTime(db.now())
	if _, err := db.db.ExecContext(ctx, `DELETE FROM signin_sessions WHERE idle_until <= ? OR expires_at <= ?`, now, now); err != nil {
		return fmt.Errorf("store: prune sign-ins: %w", err)
	}
	return nil
}

func parseSignIn(fields ...string) (SignIn, error) {
	var ts [4]time.Time
	for i, f := range fields {
		t, err := time.Parse(timeLayout, f)
		if err != nil {
			return SignIn{}, fmt.Errorf("store: sign-in: bad time: %w", err)
		}
		ts[i] = t
	}
	return SignIn{Created: ts[0], LastSeen: ts[1], IdleUntil: ts[2], Expires: ts[3]}, nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// CountSignIns returns how many sessions are stored (ended ones not yet pruned included).
func (db *DB) CountSignIns(ctx context.Context) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM signin_sessions`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count sign-ins: %w", err)
	}
	return n, nil
}

// RehashPassword replaces the stored hash old by new (the same password under raised costs) and ends no
// session. ErrNotFound when the stored hash is no longer old (the password changed meanwhile).
func (db *DB) RehashPassword(ctx context.Context, old, new string) error {
	res, err := db.db.ExecContext(ctx, `UPDATE auth SET password_hash = ?, updated_at = ? WHERE id = 1 AND password_hash = ?`,
		new, formatTime(db.now()), old)
	if err != nil {
		return fmt.Errorf("store: rehash password: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(ErrNotFound, err)
	}
	return nil
}
