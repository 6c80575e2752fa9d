package applehealth

import (
	"math"

	"github.com/bodystats/bodystats/internal/formats/core"
)

// Tolerances for "the same measurement written twice": masses 0.1 kg, fat % and BMI 0.1, heights 0.5 cm.
const (
	sameKg     = 0.1 + 1e-9
	samePct    = 0.1 + 1e-9
	sameHeight = 0.5 + 1e-9
)

type writer struct {
	source  string
	instant int64
}

// weighIn is one Record being built, with the sources and instants that wrote its weight.
type weighIn struct {
	rec     core.Record
	writers []writer
}

// build turns the samples, in file order, into Records sorted by local time: weights deduplicated per local
// minute, then fat, BMI and lean mass joined to them, then heights.
func build(samples []sample) []core.Record {
	var ws []*weighIn
	byMinute := map[string][]*weighIn{}
	for _, s := range samples {
		if s.kind != typeMass {
			continue
		}
		key := s.date + s.clock[:5]
		if w := find(byMinute[key], func(w *weighIn) bool { return w.rec.WeightKg > 0 && math.Abs(w.rec.WeightKg-s.value) <= sameKg }); w != nil {
			w.writers = append(w.writers, writer{s.source, s.instant})
			continue
		}
		w := newWeighIn(s)
		w.rec.WeightKg, w.rec.Unit = s.value, s.unit
		ws = append(ws, w)
		byMinute[key] = append(byMinute[key], w)
	}
	for _, s := range samples {
		var field func(*core.Record) **float64
		tol := samePct
		switch s.kind {
		case typeFat:
			field = func(r *core.Record) **float64 { return &r.FatPct }
		case typeBMI:
			field = func(r *core.Record) **float64 { return &r.BMI }
		case typeLean:
			field, tol = func(r *core.Record) **float64 { return &r.LeanKg }, sameKg
		default:
			continue
		}
		key := s.date + s.clock[:5]
		cands := byMinute[key]
		empty := func(w *weighIn) bool { return *field(&w.rec) == nil }
		target := find(cands, func(w *weighIn) bool { return empty(w) && w.wrote(s.source, s.instant) })
		if target == nil {
			target = find(cands, empty)
		}
		if target == nil {
			if find(cands, func(w *weighIn) bool { return math.Abs(**field(&w.rec)-s.value) <= tol }) != nil {
				continue // the same value from another app
			}
			target = newWeighIn(s)
			ws = append(ws, target)
			byMinute[key] = append(byMinute[key], target)
		}
		*field(&target.rec) = core.Ptr(s.value)
	}
	heights := map[string][]*weighIn{}
	for _, s := range samples {
		if s.kind != typeHeight {
			continue
		}
		key := s.date + s.clock[:5]
		if find(heights[key], func(w *weighIn) bool { return math.Abs(w.rec.HeightCm-s.value) <= sameHeight }) != nil {
			continue
		}
		w := newWeighIn(s)
		w.rec.HeightCm = s.value
		ws = append(ws, w)
		heights[key] = append(heights[key], w)
	}
	out := make([]core.Record, 0, len(ws))
	for _, w := range ws {
		if core.Check(w.rec) == nil {
			out = append(out, w.rec)
		}
	}
	sortRecords(out)
	return out
}

func newWeighIn(s sample) *weighIn {
	return &weighIn{
		rec:     core.Record{Date: s.date, Clock: s.clock, Offset: s.offset, OffsetKnown: true, Device: s.source},
		writers: []writer{{s.source, s.instant}},
	}
}

func (w *weighIn) wrote(source string, instant int64) bool {
	for _, x := range w.writers {
		if x.source == source && x.instant == instant {
			return true
		}
	}
	return false
}

func find(ws []*weighIn, ok func(*weighIn) bool) *weighIn {
	for _, w := range ws {
		if ok(w) {
			return w
		}
	}
	return nil
}
