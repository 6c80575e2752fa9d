package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
)

// Settings are the person's preferences.
type Settings struct {
	Unit         string  // "kg", "lb", "st"; "" until chosen (shown as kilograms)
	GoalKg       float64 // 0: no goal
	HideLikeness bool
	HeightCm     float64 // the height the person entered, which wins over any provider's; 0 none
}

// Settings returns the saved preferences, or the zero value when none were saved.
func (db *DB) Settings(ctx context.Context) (Settings, error) {
	var s Settings
	err := db.db.QueryRowContext(ctx, `SELECT unit, goal_kg, hide_likeness, height_cm FROM settings WHERE id = 1`).
		Scan(&s.Unit, &s.GoalKg, &s.HideLikeness, &s.HeightCm)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("store: settings: %w", err)
	}
	return s, nil
}

// SaveSettings replaces the preferences.
func (db *DB) SaveSettings(ctx context.Context, s Settings) error {
	defer db.changed()
	switch {
	case s.Unit != "" && s.Unit != "kg" && s.Unit != "lb" && s.Unit != "st":
		return fmt.Errorf("store: save settings: unknown unit %q", s.Unit)
	case math.IsNaN(s.GoalKg) || math.IsInf(s.GoalKg, 0) || s.GoalKg < 0:
		return fmt.Errorf("store: save settings: bad goal %v", s.GoalKg)
	case math.IsNaN(s.HeightCm) || math.IsInf(s.HeightCm, 0) || s.HeightCm < 0:
		return fmt.Errorf("store: save settings: bad height %v", s.HeightCm)
	}
	_, err := db.db.ExecContext(ctx, `INSERT INTO settings (id, unit, goal_kg, hide_likeness, height_cm, updated_at) VALUES (1, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET unit = excluded.unit, goal_kg = excluded.goal_kg,
			hide_likeness = excluded.hide_likeness, height_cm = excluded.height_cm, updated_at = excluded.updated_at`,
		s.Unit, s.GoalKg, s.HideLikeness, s.HeightCm, formatTime(db.now()))
	if err != nil {
		return fmt.Errorf("store: save settings: %w", err)
	}
	return nil
}

// SetHidden hides a weigh-in from the trend and the charts (an outlier), or restores it. It stays stored and
// exported either way. A weigh-in is hidden while any of its rows is, so restoring one also restores its twins
// (rows of the same minute and weight, or the same Fitbit logId). ErrNotFound when there is no such weigh-in.
func (db *DB) SetHidden(ctx context.Context, sourceID int64, provider, externalID string, hidden bool) error {
	defer db.changed()
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: hide measurement: %w", err)
	}
	defer tx.Rollback()
	now := formatTime(db.now())
	var date, clock string
	var kg float64
	var logID sql.NullInt64
	err = tx.QueryRowContext(ctx, `UPDATE measurements SET hidden = ?, updated_at = ?
		WHERE source_id = ? AND provider = ? AND external_id = ? RETURNING date, time, weight_kg, log_id`,
		hidden, now, sourceID, provider, externalID).Scan(&date, &clock, &kg, &logID)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: hide measurement: %w", err)
	}
	if !hidden {
		_, err = tx.ExecContext(ctx, `UPDATE measurements SET hidden = 0, updated_at = ?
			WHERE hidden = 1 AND ((date = ? AND substr(time, 1, 5) = substr(?, 1, 5) AND abs(weight_kg - ?) <= ?)
			                      OR (log_id IS NOT NULL AND log_id = ?))`,
			now, date, clock, kg, MergeTolerance+1e-9, logID)
		if err != nil {
			return fmt.Errorf("store: restore the twins: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: hide measurement: commit: %w", err)
	}
	return nil
}
