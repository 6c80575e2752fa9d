package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// known is a stored (or, with id 0, about-to-be-inserted) row the merge compares a batch against.
type known struct {
	id int64
	m  Measurement
}

type rowKey struct {
	source             int64
	provider, external string
}

func keyOf(m Measurement) rowKey { return rowKey{m.SourceID, m.Provider, m.ExternalID} }

// mergeIndex holds the rows a batch can collide with, so that each row's fate is decided in memory rather than
// with a query per row: a decade of weigh-ins merges in a handful of statements.
type mergeIndex struct {
	byKey    map[rowKey]*known
	byLog    map[int64][]*known
	byMinute map[string][]*known // by local minute
	byUTC    map[string][]*known // by UTC minute, for rows whose zone is known
}

// chunk bounds the parameters of one statement well under SQLite's limit.
const chunk = 400

// loadIndex reads every stored row on the batch's dates (twins share the local date), and every stored row with
// one of the batch's keys (a provider may move a weigh-in to another date).
func loadIndex(ctx context.Context, tx *sql.Tx, ms []Measurement) (*mergeIndex, error) {
	idx := &mergeIndex{
		byKey:    make(map[rowKey]*known, len(ms)),
		byLog:    make(map[int64][]*known, len(ms)),
		byMinute: make(map[string][]*known, len(ms)),
		byUTC:    make(map[string][]*known, len(ms)),
	}
	if len(ms) == 0 {
		return idx, nil
	}
	lo, hi := ms[0].Date, ms[0].Date
	groups := map[rowKey][]string{} // (source, provider) → external ids
	for _, m := range ms {
		lo, hi = min(lo, m.Date), max(hi, m.Date)
		g := rowKey{source: m.SourceID, provider: m.Provider}
		groups[g] = append(groups[g], m.ExternalID)
	}
	base := `SELECT id, ` + readColumns + ` FROM measurements WHERE `
	// A day either side: twins compared in UTC can sit on neighbouring local dates.
	if err := idx.query(ctx, tx, base+`date BETWEEN date(?, '-1 day') AND date(?, '+1 day')`, lo, hi); err != nil {
		return nil, err
	}
	// The ids travel as one JSON array of strings (exact, unlike numbers), whatever the batch's size.
	byKey := base + `source_id = ? AND provider = ? AND external_id IN (SELECT value FROM json_each(?))`
	for g, ids := range groups {
		list, err := json.Marshal(ids)
		if err != nil {
			return nil, err
		}
		if err := idx.query(ctx, tx, byKey, g.source, g.provider, string(list)); err != nil {
			return nil, err
		}
	}
	return idx, nil
}

func (idx *mergeIndex) query(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		m, err := scanMeasurementWithID(rows, &id)
		if err != nil {
			return err
		}
		if _, seen := idx.byKey[keyOf(m)]; !seen {
			idx.add(&known{id: id, m: m})
		}
	}
	return rows.Err()
}

func (idx *mergeIndex) add(k *known) {
	idx.byKey[keyOf(k.m)] = k
	if k.m.LogID != 0 {
		idx.byLog[k.m.LogID] = append(idx.byLog[k.m.LogID], k)
	}
	at := localMinute(k.m)
	idx.byMinute[at] = append(idx.byMinute[at], k)
	if u, ok := utcMinute(k.m); ok {
		idx.byUTC[u] = append(idx.byUTC[u], k)
	}
}

// twin finds a row of another source that is the same weigh-in as m (see sameWeighin).
func (idx *mergeIndex) twin(m Measurement) *known {
	// An unclaimed row is out of the history: it is no twin to count against.
	other := func(k *known) bool { return k.m.SourceID != m.SourceID && !k.m.Unclaimed }
	if m.LogID != 0 {
		for _, k := range idx.byLog[m.LogID] {
			if other(k) {
				return k
			}
		}
	}
	for _, k := range idx.byMinute[localMinute(m)] {
		if other(k) && sameWeighin(k.m, m) {
			return k
		}
	}
	if u, ok := utcMinute(m); ok {
		for _, k := range idx.byUTC[u] {
			if other(k) && sameWeighin(k.m, m) {
				return k
			}
		}
	}
	return nil
}

func scanMeasurementWithID(rows *sql.Rows, id *int64) (Measurement, error) {
	return scanMeasurement(prefixScanner{rows, id})
}

// prefixScanner scans a leading id column before the measurement columns.
type prefixScanner struct {
	rows *sql.Rows
	id   *int64
}

func (p prefixScanner) Scan(dest ...any) error { return p.rows.Scan(append([]any{p.id}, dest...)...) }
