package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Credentials are one account's provider tokens. Token, Secret and RefreshToken are sealed at rest.
type Credentials struct {
	Kind         string    // "oauth1" or "oauth2"
	Token        string    // OAuth 1.0a token, or OAuth 2.0 access token
	Secret       string    // OAuth 1.0a token secret
	RefreshToken string    // OAuth 2.0
	Expiry       time.Time // OAuth 2.0 access token expiry; zero when none
	Scope        string
}

// ErrNeedsReconnect is returned by Credentials when the account's tokens do not open with this data
// directory's key: the database was restored or copied without the secret.key that sealed them. The account is
// marked NeedsReconnect, so pages ask the person to connect it again; its measurements are untouched.
var ErrNeedsReconnect = errors.New("store: the stored tokens were sealed with another key; the account must reconnect")

// sealedCredentialColumns are the columns whose values are sealed, in the order of the SQL below.
var sealedCredentialColumns = [3]string{"token", "secret", "refresh_token"}

func credentialsAt(accountID int64, column string) []byte {
	return sealedAt("credentials", strconv.FormatInt(accountID, 10), column)
}

// SaveCredentials stores the account's credentials, replacing any it had. It returns an error wrapping
// ErrNotFound when the account does not exist. A refresh token other than the stored one is a new grant:
// GrantedAt then says now (a Google refresh, which keeps the refresh token, keeps the grant's age).
func (db *DB) SaveCredentials(ctx context.Context, accountID int64, c Credentials) error {
	defer db.changed()
	if c.Kind != "oauth1" && c.Kind != "oauth2" {
		return fmt.Errorf("store: save credentials: unknown kind %q", c.Kind)
	}
	if c.Token == "" {
		return errors.New("store: save credentials: empty token")
	}
	var sealed [3][]byte
	for i, v := range [3]string{c.Token, c.Secret, c.RefreshToken} {
		sealed[i] = db.seal([]byte(v), credentialsAt(accountID, sealedCredentialColumns[i]))
	}
	expiry := ""
	if !c.Expiry.IsZero() {
		expiry = formatTime(c.Expiry)
	}
	now := formatTime(db.now())
	newGrant := db.storedRefreshToken(ctx, accountID) != c.RefreshToken
	_, err := db.db.ExecContext(ctx, `
		INSERT INTO credentials (account_id, kind, token, secret, refresh_token, expiry, scope, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET
			kind = excluded.kind, token = excluded.token, secret = excluded.secret,
			refresh_token = excluded.refresh_token, expiry = excluded.expiry, scope = excluded.scope,
			created_at = CASE WHEN ? THEN excluded.created_at ELSE created_at END,
			updated_at = excluded.updated_at`,
		accountID, c.Kind, sealed[0], sealed[1], sealed[2], expiry, c.Scope, now, now, newGrant)
	var sqliteErr sqlite3.Error
	if errors.As(err, &sqliteErr) && sqliteErr.ExtendedCode == sqlite3.ErrConstraintForeignKey {
		return fmt.Errorf("store: save credentials: account %d: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: save credentials: %w", err)
	}
	return nil
}

// storedRefreshToken is the account's stored refresh token, or "" when there is none or it does not open (a read
// without Credentials' side effect of marking the account for reconnect).
func (db *DB) storedRefreshToken(ctx context.Context, accountID int64) string {
	var sealed []byte
	if db.db.QueryRowContext(ctx, `SELECT refresh_token FROM credentials WHERE account_id = ?`, accountID).Scan(&sealed) != nil {
		return ""
	}
	v, err := db.unseal(sealed, credentialsAt(accountID, "refresh_token"))
	if err != nil {
		return ""
	}
	return string(v)
}

// Credentials returns the account's credentials, or ErrNotFound.
func (db *DB) Credentials(ctx context.Context, accountID int64) (Credentials, error) {
	var c Credentials
	var sealed [3][]byte
	var expiry string
	err := db.db.QueryRowContext(ctx, `
		SELECT kind, token, secret, refresh_token, expiry, scope FROM credentials WHERE account_id = ?`, accountID).
		Scan(&c.Kind, &sealed[0], &sealed[1], &sealed[2], &expiry, &c.Scope)
	if errors.Is(err, sql.ErrNoRows) {
		return Credentials{}, ErrNotFound
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("store: credentials: %w", err)
	}
	var opened [3]string
	for i, column := range sealedCredentialColumns {
		v, err := db.unseal(sealed[i], credentialsAt(accountID, column))
		if err != nil {
			return Credentials{}, db.unopenable(ctx, accountID, column, err)
		}
		opened[i] = string(v)
	}
	c.Token, c.Secret, c.RefreshToken = opened[0], opened[1], opened[2]
	if expiry != "" {
		if c.Expiry, err = parseTime(expiry); err != nil {
			return Credentials{}, fmt.Errorf("store: credentials: expiry: %w", err)
		}
	}
	return c, nil
}

// GrantedAt is when the account's current grant (its refresh token, or its OAuth 1.0a token) was stored, and
// when its credentials were last saved (the last refresh that worked): a Google OAuth client in "Testing" gets
// refresh tokens that die 7 days after they are granted. ErrNotFound without credentials.
func (db *DB) GrantedAt(ctx context.Context, accountID int64) (granted, saved time.Time, err error) {
	var at, last string
	err = db.db.QueryRowContext(ctx, `SELECT created_at, updated_at FROM credentials WHERE account_id = ?`, accountID).Scan(&at, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, time.Time{}, ErrNotFound
	}
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("store: grant time: %w", err)
	}
	if granted, err = parseTime(at); err == nil {
		saved, err = parseTime(last)
	}
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("store: grant time: %w", err)
	}
	return granted, saved, nil
}

// unopenable marks the account whose sealed column did not open as needing a reconnect (once: updated_at
// moves only when the mark is new) and returns an error wrapping ErrNeedsReconnect.
func (db *DB) unopenable(ctx context.Context, accountID int64, column string, cause error) error {
	res, err := db.db.ExecContext(ctx, `UPDATE accounts SET needs_reconnect = 1, updated_at = ? WHERE id = ? AND needs_reconnect = 0`,
		formatTime(db.now()), accountID)
	if err != nil {
		return fmt.Errorf("store: open sealed credentials: %s: %w; marking the account for reconnect: %w", column, cause, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		db.changed()
	}
	return &needsReconnect{msg: fmt.Sprintf("store: open sealed credentials: %s: %v", column, cause), cause: cause}
}

// needsReconnect says what did not open (never the value) and wraps both ErrNeedsReconnect and the cause.
type needsReconnect struct {
	msg   string
	cause error
}

func (e *needsReconnect) Error() string   { return e.msg }
func (e *needsReconnect) Unwrap() []error { return []error{ErrNeedsReconnect, e.cause} }

// DeleteCredentials removes the account's credentials; deleting none is not an error.
func (db *DB) DeleteCredentials(ctx context.Context, accountID int64) error {
	defer db.changed()
	if _, err := db.db.ExecContext(ctx, `DELETE FROM credentials WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("store: delete credentials: %w", err)
	}
	return nil
}
