package importer

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/bodystats/bodystats/internal/store"
)

// The values an import keeps. A reading outside them is a scale's misreading, a typo or a unit mix-up, and is
// skipped with its reason rather than put into the history.
const (
	MinWeightKg, MaxWeightKg = 20.0, 400.0 // an adult's weight; a child's or a parcel's is not the person's history
	MinFatPct, MaxFatPct     = 1.0, 75.0   // body fat a scale can really report
	MaxBMI                   = 200.0       // a BMI above it is dropped (the weigh-in is kept)
	MinYear                  = 1900
	otherPersonCm            = 5.0 // a weigh-in whose height differs from the person's by more is another person's
	maxExamples              = 10  // skipped records quoted per file
)

// The reasons a record is skipped, as the summary counts them.
const (
	ReasonWeight      = "a weight out of range (20–400 kg)"
	ReasonFat         = "body fat out of range (1–75 %)"
	ReasonOld         = "a date before 1900"
	ReasonFuture      = "a date in the future"
	ReasonBadDate     = "an impossible date or time"
	ReasonNoWeight    = "a body-fat or BMI reading without a weight"
	ReasonRepeated    = "the same weigh-in twice in the file"
	ReasonOtherPerson = "another person's (another height on the scale)"
	ReasonUnreadable  = "an unreadable record"
)

// Reason is one cause of skipped records and how many it took.
type Reason struct {
	Why string
	N   int
}

// skips counts one file's skipped records by reason and keeps a few examples.
type skips struct {
	n        map[string]int
	order    []string
	examples []string
}

func (s *skips) add(why, example string) {
	if s.n == nil {
		s.n = map[string]int{}
	}
	if s.n[why] == 0 {
		s.order = append(s.order, why)
	}
	s.n[why]++
	if example != "" && len(s.examples) < maxExamples {
		s.examples = append(s.examples, example)
	}
}

func (s *skips) total() int {
	t := 0
	for _, n := range s.n {
		t += n
	}
	return t
}

// fill puts the counts into a file's summary, the commonest reason first.
func (s *skips) fill(fs *FileSummary) {
	for _, why := range s.order {
		fs.Reasons = append(fs.Reasons, Reason{why, s.n[why]})
	}
	sort.SliceStable(fs.Reasons, func(i, j int) bool { return fs.Reasons[i].N > fs.Reasons[j].N })
	fs.Skipped += s.total()
	fs.Problems = append(fs.Problems, s.examples...)
}

// check tells why m cannot go into the history, or "" when it can; a BMI out of range is dropped from m.
// today is the local date the future starts after (a day's slack covers every time zone).
func check(m *store.Measurement, today time.Time) string {
	d, err := time.Parse("2006-01-02 15:04:05", m.Date+" "+m.Time)
	switch {
	case err != nil:
		return ReasonBadDate
	case d.Year() < MinYear:
		return ReasonOld
	case d.After(today.AddDate(0, 0, 2)):
		return ReasonFuture
	case !finite(m.WeightKg) || m.WeightKg < MinWeightKg || m.WeightKg > MaxWeightKg:
		return ReasonWeight
	case m.FatPct != nil && (!finite(*m.FatPct) || *m.FatPct < MinFatPct || *m.FatPct > MaxFatPct):
		return ReasonFat
	}
	if m.BMI != nil && (!finite(*m.BMI) || *m.BMI <= 0 || *m.BMI > MaxBMI) {
		m.BMI = nil
	}
	return ""
}

// startOfToday is the local date now, at midnight UTC, as check compares it.
func startOfToday(now time.Time) time.Time {
	y, mo, d := now.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// describe names a measurement in a skipped-record sentence.
func describe(m store.Measurement) string {
	s := fmt.Sprintf("%s %s, %.1f kg", m.Date, m.Time, m.WeightKg)
	if m.FatPct != nil {
		s += fmt.Sprintf(", %.1f %% fat", *m.FatPct)
	}
	return s
}
