package body

import (
	"testing"
)

// weighIns are 80 kg weigh-ins at t0 + each day.
func weighIns(days ...float64) []Point {
	return line(80, 0, days...)
}

func TestDeltasCoverage(t *testing.T) {
	tests := []struct {
		name string
		days []float64
		want map[string]bool // OK per label; labels not listed want false
	}{
		// Last at day 7, base day 0; the span is days 1..7 and needs ⌈7/2⌉ = 4: days 4, 5, 6, 7 → 4.
		{"WeekFourOfSeven", []float64{0, 4, 5, 6, 7}, map[string]bool{"week": true}},
		// Days 5, 6, 7 → 3 of 7, one short.
		{"WeekThreeOfSeven", []float64{0, 5, 6, 7}, nil},
		// The base day's own weigh-in is outside the span: days 0, 5, 6, 7 are still 3.
		{"BaseDayNotCounted", []float64{-1, 0, 5, 6, 7}, nil},
		// Several weigh-ins on one date count once: days 6 and 7, twice each, are 2 dates.
		{"SameDateOnce", []float64{0, 6, 6.25, 7, 7.25}, nil},
		// Last at day 30, base day 0; span days 1..30 needs 30/2 = 15: days 16..30 → exactly 15.
		{"MonthExactlyHalf", append([]float64{0}, seq(16, 30)...), map[string]bool{"week": true, "month": true}},
		// Days 17..30 → 14 of 30, one short (the week, days 24..30, is full).
		{"MonthOneShort", append([]float64{0}, seq(17, 30)...), map[string]bool{"week": true}},
		// Every day from 0 to 20: full coverage, but a month back (day −10) is before the first weigh-in.
		{"HistoryTooShort", seq(0, 20), map[string]bool{"week": true}},
		// 90 days back from day 120 is day 30; days 31..120 needs 45: days 76..120 → 45.
		{"ThreeMonthsExactlyHalf", append([]float64{0}, seq(76, 120)...), map[string]bool{"week": true, "month": true, "3 months": true}},
		{"ThreeMonthsOneShort", append([]float64{0}, seq(77, 120)...), map[string]bool{"week": true, "month": true}},
		// A year back from day 365 is day 0; days 1..365 needs ⌈365/2⌉ = 183: days 183..365 → 183.
		{"YearHalfRoundedUp", append([]float64{0}, seq(183, 365)...), map[string]bool{"week": true, "month": true, "3 months": true, "year": true}},
		{"YearOneShort", append([]float64{0}, seq(184, 365)...), map[string]bool{"week": true, "month": true, "3 months": true}},
		{"Empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := weighIns(tt.days...)
			got := Deltas(ps, Trend(ps))
			labels := []string{"week", "month", "3 months", "year"}
			days := []int{7, 30, 90, 365}
			if len(got) != len(labels) {
				t.Fatalf("len = %d, want %d", len(got), len(labels))
			}
			for i, d := range got {
				if d.Label != labels[i] || d.Days != days[i] {
					t.Errorf("[%d] = %q %d, want %q %d", i, d.Label, d.Days, labels[i], days[i])
				}
				if d.OK != tt.want[d.Label] {
					t.Errorf("%s OK = %v, want %v", d.Label, d.OK, tt.want[d.Label])
				}
			}
		})
	}
}

func TestDeltasKg(t *testing.T) {
	// Daily weigh-ins for 400 days, with a trend that falls 0.1 kg a day: the change over N days is −0.1 × N.
	ps := weighIns(seq(0, 400)...)
	trend := line(120, -0.1, seq(0, 400)...)
	want := []float64{-0.7, -3.0, -9.0, -36.5} // 7, 30, 90, 365 days × −0.1
	for i, d := range Deltas(ps, trend) {
		if !d.OK || !near(d.Kg, want[i]) {
			t.Errorf("%s = %v, %v; want %v, true", d.Label, d.Kg, d.OK, want[i])
		}
	}
}

func TestDeltasEarlierInTheDay(t *testing.T) {
	// First weigh-in day 0 at 08:00, the rest daily at 07:00 up to day 7: base is day 0 at 07:00, an hour before
	// the first weigh-in but on its date, so the week counts from the first trend value.
	// Trend 80 at day 0 08:00 and 79.3 at day 7: change 79.3 − 80 = −0.7.
	first := Point{at(1.0 / 24), 80}
	trend := append([]Point{first}, line(80, -0.1, seq(1, 7)...)...)
	ps := append([]Point{first}, weighIns(seq(1, 7)...)...)
	got := Deltas(ps, trend)[0]
	if !got.OK || !near(got.Kg, -0.7) {
		t.Errorf("week = %v, %v; want -0.7, true", got.Kg, got.OK)
	}
}
