package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Kinds of source.
const (
	KindAccount = "account" // a connected provider account
	KindImport  = "import"  // one imported file
	KindManual  = "manual"  // weigh-ins typed in
	KindAPI     = "api"     // weigh-ins pushed with an API token
)

// DemoDetail marks an account source connected to the built-in emulator in demo mode: it syncs only in demo
// mode, and the real accounts of a data directory never sync against the emulator.
const DemoDetail = "demo"

// Source is where weigh-ins come from. Account sources carry their account; the others stand alone.
type Source struct {
	ID        int64
	Kind      string
	AccountID int64  // kind "account" only
	Provider  string // the provider id, or "import", "manual", "api"
	Name      string // a file's or a token's name; "" for accounts, whose name is the account's
	Detail    string // an import's format
	LastAt    time.Time
	CreatedAt time.Time
}

const sourceColumns = `id, kind, COALESCE(account_id, 0), provider, name, detail, last_at, created_at`

// CreateSource adds a source of kind import, manual or api. Account sources come with UpsertAccount.
func (db *DB) CreateSource(ctx context.Context, s Source) (Source, error) {
	defer db.changed()
	if s.Kind != KindImport && s.Kind != KindManual && s.Kind != KindAPI {
		return Source{}, fmt.Errorf("store: create source: kind %q", s.Kind)
	}
	if s.Provider == "" {
		s.Provider = s.Kind
	}
	row := db.db.QueryRowContext(ctx, `INSERT INTO sources (kind, provider, name, detail, created_at) VALUES (?, ?, ?, ?, ?)
		RETURNING `+sourceColumns, s.Kind, s.Provider, s.Name, s.Detail, formatTime(db.now()))
	out, err := scanSource(row)
	if err != nil {
		return Source{}, fmt.Errorf("store: create source: %w", err)
	}
	return out, nil
}

// ManualSource returns the one source of weigh-ins typed in, creating it the first time.
func (db *DB) ManualSource(ctx context.Context) (Source, error) {
	s, err := scanSource(db.db.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE kind = 'manual' ORDER BY id LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return db.CreateSource(ctx, Source{Kind: KindManual, Name: "Typed in"})
	}
	if err != nil {
		return Source{}, fmt.Errorf("store: manual source: %w", err)
	}
	return s, nil
}

// Source returns the source with the given id, or ErrNotFound.
func (db *DB) Source(ctx context.Context, id int64) (Source, error) {
	s, err := scanSource(db.db.QueryRowContext(ctx, `SELECT `+sourceColumns+` FROM sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Source{}, ErrNotFound
	}
	if err != nil {
		return Source{}, fmt.Errorf("store: source %d: %w", id, err)
	}
	return s, nil
}

// Sources returns every source, oldest first.
func (db *DB) Sources(ctx context.Context) ([]Source, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+sourceColumns+` FROM sources ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		s, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("store: sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// TouchSource records that a sync or an import of the source finished now.
func (db *DB) TouchSource(ctx context.Context, id int64) error {
	defer db.changed()
	if _, err := db.db.ExecContext(ctx, `UPDATE sources SET last_at = ? WHERE id = ?`, formatTime(db.now()), id); err != nil {
		return fmt.Errorf("store: touch source %d: %w", id, err)
	}
	return nil
}

// RemoveSource deletes the source and every row it holds; an account source takes its account and credentials
// with it. Twins of its weigh-ins in other sources show again. It returns how many rows went, or ErrNotFound.
func (db *DB) RemoveSource(ctx context.Context, id int64) (int, error) {
	defer db.changed()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: remove source: %w", err)
	}
	defer tx.Rollback()
	var accountID sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT account_id FROM sources WHERE id = ?`, id).Scan(&accountID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, ErrNotFound
		}
		return 0, fmt.Errorf("store: remove source: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM measurements WHERE source_id = ?`, id)
	if err != nil {
		return 0, fmt.Errorf("store: remove source: %w", err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id); err != nil {
		return 0, fmt.Errorf("store: remove source: %w", err)
	}
	if accountID.Valid {
		if _, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, accountID.Int64); err != nil {
			return 0, fmt.Errorf("store: remove source: account: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: remove source: commit: %w", err)
	}
	return int(n), nil
}

func scanSource(row scanner) (Source, error) {
	var s Source
	var last, created string
	if err := row.Scan(&s.ID, &s.Kind, &s.AccountID, &s.Provider, &s.Name, &s.Detail, &last, &created); err != nil {
		return Source{}, err
	}
	var err error
	if last != "" {
		if s.LastAt, err = parseTime(last); err != nil {
			return Source{}, err
		}
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return Source{}, err
	}
	return s, nil
}

// Claim takes the source's unclaimed rows (readings a shared scale could not attribute) into the history.
func (db *DB) Claim(ctx context.Context, sourceID int64) (int, error) {
	defer db.changed()
	res, err := db.db.ExecContext(ctx, `UPDATE measurements SET unclaimed = 0, updated_at = ? WHERE source_id = ? AND unclaimed = 1`,
		formatTime(db.now()), sourceID)
	if err != nil {
		return 0, fmt.Errorf("store: claim: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SetSourceDetail records a source's detail (an import's format, DemoDetail for a demo account).
func (db *DB) SetSourceDetail(ctx context.Context, id int64, detail string) error {
	defer db.changed()
	res, err := db.db.ExecContext(ctx, `UPDATE sources SET detail = ? WHERE id = ?`, detail, id)
	if err != nil {
		return fmt.Errorf("store: source %d detail: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
