package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

// importAccountProvider names the account that keeps the height imports and the person give when no provider
// account is connected (importer.AccountProvider); it has no source.
const importAccountProvider = "import"

// Account is one provider identity.
type Account struct {
	ID             int64
	Provider       string  // the provider id
	ExternalUserID string  // Fitbit encodedId, Google healthUserId, ...
	DisplayName    string  // "" unknown
	TimeZone       string  // IANA name, "" unknown
	HeightCm       float64 // 0 unknown
	MemberSince    string  // YYYY-MM-DD, "" unknown
	WeightUnit     string  // the unit the provider's settings name: "kg", "lb", "st"; "" unknown
	HeightUnit     string  // the height unit the provider's settings name: "cm", "ftin"; "" unknown
	NeedsReconnect bool    // the provider refused the stored tokens; set by SetNeedsReconnect, not by UpsertAccount
	SourceID       int64   // the account's source of weigh-ins
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

const accountColumns = `id, provider, external_user_id, display_name, time_zone, height_cm, member_since, weight_unit,
	needs_reconnect, (SELECT s.id FROM sources s WHERE s.account_id = accounts.id), created_at, updated_at, height_unit`

// accountColumnsA is accountColumns for a query that names the accounts table "a".
const accountColumnsA = `a.id, a.provider, a.external_user_id, a.display_name, a.time_zone, a.height_cm, a.member_since,
	a.weight_unit, a.needs_reconnect, (SELECT s.id FROM sources s WHERE s.account_id = a.id), a.created_at, a.updated_at,
	a.height_unit`

// UpsertAccount inserts the account with its source or, when (Provider, ExternalUserID) exists, updates its
// profile. An unknown value ("" or 0) never overwrites a known one, so a partial profile response does not erase
// what a full one stored. It returns the stored row.
func (db *DB) UpsertAccount(ctx context.Context, a Account) (Account, error) {
	defer db.changed()
	switch {
	case a.Provider == "" || a.ExternalUserID == "":
		return Account{}, errors.New("store: upsert account: provider and external user id are required")
	case math.IsNaN(a.HeightCm) || math.IsInf(a.HeightCm, 0) || a.HeightCm < 0:
		return Account{}, fmt.Errorf("store: upsert account: bad height %v", a.HeightCm)
	case a.MemberSince != "" && !validDate(a.MemberSince):
		return Account{}, fmt.Errorf("store: upsert account: bad member-since date %q", a.MemberSince)
	case a.WeightUnit != "" && a.WeightUnit != "kg" && a.WeightUnit != "lb" && a.WeightUnit != "st":
		return Account{}, fmt.Errorf("store: upsert account: bad weight unit %q", a.WeightUnit)
	case a.HeightUnit != "" && a.HeightUnit != "cm" && a.HeightUnit != "ftin":
		return Account{}, fmt.Errorf("store: upsert account: bad height unit %q", a.HeightUnit)
	}
	now := formatTime(db.now())
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return Account{}, fmt.Errorf("store: upsert account: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO accounts (provider, external_user_id, display_name, time_zone, height_cm, member_since, weight_unit, height_unit, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (provider, external_user_id) DO UPDATE SET
			display_name = CASE WHEN excluded.display_name <> '' THEN excluded.display_name ELSE display_name END,
			time_zone    = CASE WHEN excluded.time_zone <> '' THEN excluded.time_zone ELSE time_zone END,
			height_cm    = CASE WHEN excluded.height_cm > 0 THEN excluded.height_cm ELSE height_cm END,
			member_since = CASE WHEN excluded.member_since <> '' THEN excluded.member_since ELSE member_since END,
			weight_unit  = CASE WHEN excluded.weight_unit <> '' THEN excluded.weight_unit ELSE weight_unit END,
			height_unit  = CASE WHEN excluded.height_unit <> '' THEN excluded.height_unit ELSE height_unit END,
			updated_at   = excluded.updated_at
		RETURNING id`,
		a.Provider, a.ExternalUserID, a.DisplayName, a.TimeZone, a.HeightCm, a.MemberSince, a.WeightUnit, a.HeightUnit, now, now).Scan(&id)
	if err != nil {
		return Account{}, fmt.Errorf("store: upsert account: %w", err)
	}
	// The "import" account only keeps the height an import or the person gave; imports are sources of their own.
	if a.Provider != importAccountProvider {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources (kind, account_id, provider, created_at) VALUES ('account', ?, ?, ?)
			ON CONFLICT (account_id) DO NOTHING`, id, a.Provider, now); err != nil {
			return Account{}, fmt.Errorf("store: upsert account: source: %w", err)
		}
	}
	stored, err := scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
	if err != nil {
		return Account{}, fmt.Errorf("store: upsert account: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Account{}, fmt.Errorf("store: upsert account: commit: %w", err)
	}
	return stored, nil
}

// Account returns the account with the given id, or ErrNotFound.
func (db *DB) Account(ctx context.Context, id int64) (Account, error) {
	row := db.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id)
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("store: account %d: %w", id, err)
	}
	return a, nil
}

// ConnectedAccount returns the newest account that has credentials, or ErrNotFound when none has. (Not the one
// whose credentials were saved last: a background refresh would then change which account a browser shows.)
func (db *DB) ConnectedAccount(ctx context.Context) (Account, error) {
	row := db.db.QueryRowContext(ctx, `
		SELECT `+accountColumnsA+`
		FROM accounts a JOIN credentials c ON c.account_id = a.id
		ORDER BY a.id DESC
		LIMIT 1`)
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("store: connected account: %w", err)
	}
	return a, nil
}

func scanAccount(row scanner) (Account, error) {
	var a Account
	var created, updated string
	var source sql.NullInt64
	err := row.Scan(&a.ID, &a.Provider, &a.ExternalUserID, &a.DisplayName, &a.TimeZone, &a.HeightCm,
		&a.MemberSince, &a.WeightUnit, &a.NeedsReconnect, &source, &created, &updated, &a.HeightUnit)
	a.SourceID = source.Int64
	if err != nil {
		return Account{}, err
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return Account{}, err
	}
	if a.UpdatedAt, err = parseTime(updated); err != nil {
		return Account{}, err
	}
	return a, nil
}

// SetNeedsReconnect marks (or clears) the account as needing a new sign-in. Its measurements are untouched.
func (db *DB) SetNeedsReconnect(ctx context.Context, id int64, needs bool) error {
	return db.updateAccount(ctx, id, "needs reconnect", `UPDATE accounts SET needs_reconnect = ?, updated_at = ? WHERE id = ?`, needs)
}

// SetHeight records the height the person entered, in centimetres, for computing BMI where the provider gives none.
func (db *DB) SetHeight(ctx context.Context, id int64, cm float64) error {
	if math.IsNaN(cm) || math.IsInf(cm, 0) || cm <= 0 {
		return fmt.Errorf("store: set height: bad height %v", cm)
	}
	return db.updateAccount(ctx, id, "height", `UPDATE accounts SET height_cm = ?, updated_at = ? WHERE id = ?`, cm)
}

func (db *DB) updateAccount(ctx context.Context, id int64, what, query string, value any) error {
	defer db.changed()
	res, err := db.db.ExecContext(ctx, query, value, formatTime(db.now()), id)
	if err != nil {
		return fmt.Errorf("store: set %s of account %d: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: set %s of account %d: %w", what, id, err)
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// FindAccount returns the account with the given provider and external user id, or ErrNotFound.
func (db *DB) FindAccount(ctx context.Context, provider, externalUserID string) (Account, error) {
	row := db.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE provider = ? AND external_user_id = ?`,
		provider, externalUserID)
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("store: find account %s: %w", provider, err)
	}
	return a, nil
}

// KnownHeight returns the most recently recorded height of any account (one person's accounts), or 0.
func (db *DB) KnownHeight(ctx context.Context) (float64, error) {
	var cm float64
	err := db.db.QueryRowContext(ctx, `SELECT height_cm FROM accounts WHERE height_cm > 0 ORDER BY updated_at DESC, id DESC LIMIT 1`).Scan(&cm)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: known height: %w", err)
	}
	return cm, nil
}
