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
// exported either way. ErrNotFound when there is no such weigh-in.
func (db *DB) SetHidden(ctx context.Context, sourceID int64, provider, externalID string, hidden bool) error {
	defer db.changed()
	res, err := db.db.ExecContext(ctx, `UPDATE measurements SET hidden = ?, updated_at = ?
		WHERE source_id = ? AND provider = ? AND external_id = ?`, hidden, formatTime(db.now()), sourceID, provider, externalID)
	if err != nil {
		return fmt.Errorf("store: hide measurement: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: hide measurement: %w", err)
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}
