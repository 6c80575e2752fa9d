package chart

import (
	"math"
	"testing"
	"time"
)

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		n      int
		want   []float64 // nil: check only the properties
	}{
		{name: "weight", lo: 71.2, hi: 90.4, n: 5, want: []float64{70, 75, 80, 85, 90, 95}},
		{name: "on ticks", lo: 10, hi: 20, n: 5, want: []float64{10, 12.5, 15, 17.5, 20}},
		{name: "compact", lo: 71.2, hi: 90.4, n: 3},
		{name: "bmi", lo: 22.13, hi: 27.81, n: 5},
		{name: "fat", lo: 18.4, hi: 31.7, n: 6},
		{name: "small", lo: 0.012, hi: 0.047, n: 5},
		{name: "negative", lo: -3.7, hi: -0.4, n: 5},
		{name: "across zero", lo: -2.5, hi: 7.3, n: 5},
		{name: "float noise", lo: 0.3, hi: 0.9, n: 4},
		{name: "equal", lo: 80, hi: 80, n: 5},
		{name: "equal zero", lo: 0, hi: 0, n: 5},
		{name: "equal negative", lo: -4, hi: -4, n: 5},
		{name: "reversed", lo: 90, hi: 70, n: 5},
		{name: "huge", lo: 1e6, hi: 3.4e6, n: 5},
		{name: "n one", lo: 1, hi: 9, n: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NiceTicks(tt.lo, tt.hi, tt.n)
			if tt.want != nil && !equalFloats(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			checkNice(t, got, tt.lo, tt.hi, tt.n)
		})
	}
}

func checkNice(t *testing.T, got []float64, lo, hi float64, n int) {
	t.Helper()
	n = max(n, 2)
	if len(got) < max(2, n-2) || len(got) > n+2 {
		t.Fatalf("got %d ticks %v, want %d±2", len(got), got, n)
	}
	lo, hi = min(lo, hi), max(lo, hi)
	if got[0] > lo || got[len(got)-1] < hi {
		t.Errorf("ticks %v do not cover [%v, %v]", got, lo, hi)
	}
	if lo == hi && got[0] == got[len(got)-1] {
		t.Errorf("ticks %v have zero height", got)
	}
	step := got[1] - got[0]
	exp := math.Floor(math.Log10(step))
	mant := step / math.Pow(10, exp)
	if !nearAny(mant, 1, 2, 2.5, 5, 10) {
		t.Errorf("step %v (mantissa %v) is not 1, 2, 2.5 or 5 × 10^k", step, mant)
	}
	for i := 1; i < len(got); i++ {
		if d := got[i] - got[i-1]; math.Abs(d-step) > step*1e-9 {
			t.Errorf("ticks %v: uneven step %v at %d, want %v", got, d, i, step)
		}
		if r := got[i] / step; math.Abs(r-math.Round(r)) > 1e-9 {
			t.Errorf("tick %v is not a multiple of %v", got[i], step)
		}
	}
}

func nearAny(v float64, xs ...float64) bool {
	for _, x := range xs {
		if math.Abs(v-x) < 1e-9 {
			return true
		}
	}
	return false
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNiceTicksNonFinite(t *testing.T) {
	for _, lo := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got := NiceTicks(lo, 1, 5); got != nil {
			t.Errorf("NiceTicks(%v, 1, 5) = %v, want nil", lo, got)
		}
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestTimeTicks(t *testing.T) {
	tests := []struct {
		name       string
		start, end time.Time
		n          int
		want       []time.Time // nil: check only the properties
	}{
		{
			name:  "10 days",
			start: date(2024, 3, 1).Add(7 * time.Hour), end: date(2024, 3, 11).Add(8 * time.Hour), n: 6,
			want: []time.Time{date(2024, 3, 2), date(2024, 3, 4), date(2024, 3, 6), date(2024, 3, 8), date(2024, 3, 10)},
		},
		{
			name:  "6 weeks in Mondays",
			start: date(2024, 3, 1), end: date(2024, 4, 12), n: 6,
			want: []time.Time{date(2024, 3, 4), date(2024, 3, 11), date(2024, 3, 18), date(2024, 3, 25), date(2024, 4, 1), date(2024, 4, 8)},
		},
		{
			name:  "3 months",
			start: date(2024, 1, 15), end: date(2024, 4, 20), n: 6,
			want: []time.Time{date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)},
		},
		{
			name:  "2 years",
			start: date(2023, 1, 2), end: date(2024, 12, 20), n: 6,
			want: []time.Time{date(2023, 7, 1), date(2024, 1, 1), date(2024, 7, 1)},
		},
		{
			name:  "2 years quarters",
			start: date(2023, 1, 2), end: date(2024, 12, 20), n: 8,
			want: []time.Time{date(2023, 4, 1), date(2023, 7, 1), date(2023, 10, 1), date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1)},
		},
		{
			name:  "10 years",
			start: date(2016, 5, 3), end: date(2026, 11, 20), n: 6,
			want: []time.Time{date(2018, 1, 1), date(2020, 1, 1), date(2022, 1, 1), date(2024, 1, 1), date(2026, 1, 1)},
		},
		{
			name:  "10 years compact",
			start: date(2016, 5, 3), end: date(2026, 11, 20), n: 3,
			want: []time.Time{date(2020, 1, 1), date(2025, 1, 1)},
		},
		{
			name:  "reversed",
			start: date(2024, 4, 20), end: date(2024, 1, 15), n: 6,
			want: []time.Time{date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TimeTicks(tt.start, tt.end, tt.n)
			if !equalTimes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTimeTicksLocation(t *testing.T) {
	loc := time.FixedZone("UTC+10", 10*3600)
	start := time.Date(2024, 3, 1, 6, 0, 0, 0, loc)
	got := TimeTicks(start, start.AddDate(0, 0, 3), 5)
	want := []time.Time{time.Date(2024, 3, 2, 0, 0, 0, 0, loc), time.Date(2024, 3, 3, 0, 0, 0, 0, loc), time.Date(2024, 3, 4, 0, 0, 0, 0, loc)}
	if !equalTimes(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got[0].Location() != loc {
		t.Errorf("got location %v, want %v", got[0].Location(), loc)
	}
}

func TestTimeTicksEdges(t *testing.T) {
	if got := TimeTicks(date(2024, 1, 1), date(2024, 2, 1), 0); got != nil {
		t.Errorf("n=0: got %v, want nil", got)
	}
	if got := TimeTicks(date(2024, 1, 1), date(2024, 1, 1), 5); !equalTimes(got, []time.Time{date(2024, 1, 1)}) {
		t.Errorf("start == end at midnight: got %v, want [2024-01-01]", got)
	}
	// Whatever n asks for, a span never yields more than n ticks while a coarser step can satisfy it.
	for n := 1; n <= 10; n++ {
		if got := TimeTicks(date(2020, 1, 1), date(2024, 12, 31), n); len(got) == 0 || len(got) > n {
			t.Errorf("5 years, n=%d: got %d ticks %v", n, len(got), got)
		}
	}
}

func equalTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}
