// Package backup takes the scheduled snapshots in {DATA_DIR}/backups, prunes them, and restores one safely.
package backup

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// Keep says how many backups survive pruning: the newest of each of the last Daily days that have one, and the
// newest of each of the last Weekly ISO weeks that have one (the rule of restic's --keep-daily/--keep-weekly).
// A backup kept by either rule stays.
type Keep struct{ Daily, Weekly int }

// DefaultKeep is a week of dailies and a month of weeklies.
var DefaultKeep = Keep{Daily: 7, Weekly: 4}

// nameLayout is the time in a scheduled backup's name, UTC, so names sort by time.
const nameLayout = "20060102T150405Z"

var namePattern = regexp.MustCompile(`^bodystats-([0-9]{8}T[0-9]{6}Z)\.db$`)

// Name is the file name of a scheduled backup taken at t.
func Name(t time.Time) string { return "bodystats-" + t.UTC().Format(nameLayout) + ".db" }

// parseName returns the time in a scheduled backup's name; ok is false for any other file, which pruning
// never touches.
func parseName(name string) (time.Time, bool) {
	m := namePattern.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse(nameLayout, m[1])
	return t, err == nil
}

// file is a scheduled backup in the directory.
type file struct {
	name string
	at   time.Time
}

// list returns the scheduled backups in dir, newest first.
func list(dir string) ([]file, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("backup: list %s: %w", dir, err)
	}
	var fs []file
	for _, e := range entries {
		if t, ok := parseName(e.Name()); ok && e.Type().IsRegular() {
			fs = append(fs, file{e.Name(), t})
		}
	}
	slices.SortFunc(fs, func(a, b file) int { return b.at.Compare(a.at) })
	return fs, nil
}

// keepers returns which of times (newest first) the policy keeps, days and weeks counted in loc.
func keepers(times []time.Time, k Keep, loc *time.Location) []bool {
	keep := make([]bool, len(times))
	days, weeks := map[string]bool{}, map[string]bool{}
	for i, t := range times {
		lt := t.In(loc)
		day := lt.Format(time.DateOnly)
		if !days[day] && len(days) < k.Daily {
			days[day] = true
			keep[i] = true
		}
		y, w := lt.ISOWeek()
		week := fmt.Sprintf("%d-W%02d", y, w)
		if !weeks[week] && len(weeks) < k.Weekly {
			weeks[week] = true
			keep[i] = true
		}
	}
	return keep
}

// Prune removes the scheduled backups in dir that k does not keep and returns their names. Other files are
// left alone. A Keep of zero days and zero weeks keeps everything rather than nothing.
func Prune(dir string, k Keep, loc *time.Location) ([]string, error) {
	if k.Daily <= 0 && k.Weekly <= 0 {
		return nil, nil
	}
	fs, err := list(dir)
	if err != nil {
		return nil, err
	}
	times := make([]time.Time, len(fs))
	for i, f := range fs {
		times[i] = f.at
	}
	var removed []string
	for i, keep := range keepers(times, k, loc) {
		if keep {
			continue
		}
		if err := os.Remove(filepath.Join(dir, fs[i].name)); err != nil && !os.IsNotExist(err) {
			return removed, fmt.Errorf("backup: prune: %w", err)
		}
		removed = append(removed, fs[i].name)
	}
	return removed, nil
}
