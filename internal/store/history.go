package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// Contribution is what one source holds of the history: every row it keeps, and how many weigh-ins show its
// values (the others show a twin's).
type Contribution struct {
	Held, Shown int
	First, Last string // YYYY-MM-DD of its oldest and newest rows; "" when it holds none
	Unclaimed   int    // rows that may be another person's, waiting to be claimed (not in Held)
}

// History is the person's one history: the merge of every source's rows, oldest first, each weigh-in once.
//
// Two rows of two sources are the same weigh-in when they share a Fitbit logId, or when they fall in the same
// minute with weights within MergeTolerance (see sameWeighin). Of a set
// of twins the row with the highest Method shows (a device's reading over a synced copy over an import over
// manual entry; then the one with body fat, then with BMI; then the oldest source), and a value it lacks (body fat, BMI) comes
// from a twin that has it. A weigh-in is hidden when any of its rows is. Unclaimed rows are left out.
func (db *DB) History(ctx context.Context) ([]Measurement, error) {
	ms, _, err := db.history(ctx)
	return ms, err
}

// HistoryBySource is History with each source's contribution to it.
func (db *DB) HistoryBySource(ctx context.Context) ([]Measurement, map[int64]Contribution, error) {
	return db.history(ctx)
}

func (db *DB) history(ctx context.Context) ([]Measurement, map[int64]Contribution, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+readColumns+` FROM measurements ORDER BY date, time, source_id, provider, external_id`)
	if err != nil {
		return nil, nil, fmt.Errorf("store: history: %w", err)
	}
	defer rows.Close()
	var all []Measurement
	unclaimed := map[int64]int{}
	for rows.Next() {
		m, err := scanMeasurement(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("store: history: %w", err)
		}
		if m.Unclaimed {
			unclaimed[m.SourceID]++
			continue
		}
		all = append(all, m)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: history: %w", err)
	}
	out, shownBy := mergeRows(all)
	contrib := map[int64]Contribution{}
	for i, m := range all {
		c := contrib[m.SourceID]
		c.Held++
		if c.First == "" {
			c.First = m.Date
		}
		c.Last = m.Date // rows are in date order
		if shownBy[i] {
			c.Shown++
		}
		contrib[m.SourceID] = c
	}
	for id, n := range unclaimed {
		c := contrib[id]
		c.Unclaimed = n
		contrib[id] = c
	}
	return out, contrib, nil
}

// mergeRows clusters rows (in date and time order) into weigh-ins and returns one row per weigh-in, in the same
// order, and for each input row whether it is the one shown.
func mergeRows(rows []Measurement) ([]Measurement, []bool) {
	parent := make([]int, len(rows))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	byLog := map[int64]int{}
	byLocal := map[string][]int{}
	byUTC := map[string][]int{}
	for i, m := range rows {
		if m.LogID != 0 {
			if j, ok := byLog[m.LogID]; ok {
				union(i, j)
			} else {
				byLog[m.LogID] = i
			}
		}
		// Twins come from two sources: two readings of one source in a minute are two weigh-ins.
		local := localMinute(m)
		for _, j := range byLocal[local] {
			if rows[j].SourceID != m.SourceID && sameWeighin(rows[j], m) {
				union(i, j)
			}
		}
		byLocal[local] = append(byLocal[local], i)
		if u, ok := utcMinute(m); ok {
			for _, j := range byUTC[u] {
				if rows[j].SourceID != m.SourceID && sameWeighin(rows[j], m) {
					union(i, j)
				}
			}
			byUTC[u] = append(byUTC[u], i)
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range rows {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	shown := make([]bool, len(rows))
	out := make([]Measurement, 0, len(roots))
	for _, r := range roots {
		g := groups[r]
		slices.SortStableFunc(g, func(a, b int) int { return better(rows[a], rows[b]) })
		m := rows[g[0]]
		shown[g[0]] = true
		for _, i := range g[1:] {
			twin := rows[i]
			if m.FatPct == nil && twin.FatPct != nil {
				m.FatPct = twin.FatPct
			}
			if m.BMI == nil && twin.BMI != nil {
				m.BMI = twin.BMI
			}
			m.Hidden = m.Hidden || twin.Hidden
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Measurement) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Time, b.Time), cmp.Compare(a.Provider, b.Provider),
			cmp.Compare(a.ExternalID, b.ExternalID), cmp.Compare(a.SourceID, b.SourceID))
	})
	return out, shown
}

// better orders twins: the one to show first.
func better(a, b Measurement) int {
	return cmp.Or(
		cmp.Compare(b.Method.rank(), a.Method.rank()),
		cmp.Compare(hasValue(b.FatPct), hasValue(a.FatPct)),
		cmp.Compare(hasValue(b.BMI), hasValue(a.BMI)),
		cmp.Compare(a.SourceID, b.SourceID),
		cmp.Compare(a.ExternalID, b.ExternalID),
	)
}

func hasValue(p *float64) int {
	if p == nil {
		return 0
	}
	return 1
}

// sameWeighin reports whether two rows are one weigh-in: weights within MergeTolerance (with a little slack for
// binary rounding), and the same minute on the local clock or, when both know their zone, in UTC. The same clock
// reading is one weigh-in unless both rows carry the offsets they were taken at and those differ: a zone name is
// the account's zone now (Fitbit, Withings), a guess for a reading taken while travelling, where Google Health and
// Apple Health give each reading's own offset.
func sameWeighin(a, b Measurement) bool {
	if math.Abs(a.WeightKg-b.WeightKg) > MergeTolerance+1e-9 {
		return false
	}
	if localMinute(a) == localMinute(b) {
		oa, okA := offsetOf(a.TimeZone)
		ob, okB := offsetOf(b.TimeZone)
		return !okA || !okB || oa == ob
	}
	ua, okA := utcMinute(a)
	ub, okB := utcMinute(b)
	return okA && okB && ua == ub
}

// offsetOf reads a zone written as a UTC offset ("+01:00", "Z"): a reading's own offset, not a zone name.
func offsetOf(zone string) (int, bool) {
	t, err := time.Parse("Z07:00", zone)
	if err != nil {
		return 0, false
	}
	_, off := t.Zone()
	return off, true
}

func localMinute(m Measurement) string { return m.Date + "T" + m.Time[:min(5, len(m.Time))] }

// utcMinute is the row's minute in UTC, when its zone is known.
func utcMinute(m Measurement) (string, bool) {
	loc := zone(m.TimeZone)
	if loc == nil {
		return "", false
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", m.Date+" "+m.Time, loc)
	if err != nil {
		return "", false
	}
	return t.UTC().Format("2006-01-02T15:04"), true
}

var zones sync.Map // zone text → *time.Location, or a nil *time.Location for unknown

// zone resolves an IANA name or a "+01:00" offset; nil when it is empty or unknown.
func zone(name string) *time.Location {
	if name == "" {
		return nil
	}
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location)
	}
	var loc *time.Location
	if t, err := time.Parse("Z07:00", name); err == nil {
		_, off := t.Zone()
		loc = time.FixedZone(name, off)
	} else if l, err := time.LoadLocation(name); err == nil && name != "Local" {
		loc = l
	}
	zones.Store(name, loc)
	return loc
}
