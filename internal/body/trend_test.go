package body

import (
	"math"
	"testing"
	"time"
)

// t0 is a local wall-clock instant held in UTC, as the store gives weigh-ins.
var t0 = time.Date(2024, 3, 1, 7, 0, 0, 0, time.UTC)

// at is t0 plus a (possibly fractional) number of days.
func at(days float64) time.Time {
	return t0.Add(time.Duration(days * float64(24*time.Hour)))
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestTrend(t *testing.T) {
	tests := []struct {
		name string
		in   []Point
		want []Point
	}{
		{
			// a = 1 − 0.9^1 = 0.1 each day, but w − trend stays 0.
			name: "ConstantStaysConstant",
			in:   []Point{{at(0), 80}, {at(1), 80}, {at(2), 80}, {at(3), 80}},
			want: []Point{{at(0), 80}, {at(1), 80}, {at(2), 80}, {at(3), 80}},
		},
		{
			// Daily, a = 0.1: 80; 80 + 0.1×(82 − 80) = 80.2; 80.2 + 0.1×1.8 = 80.38; 80.38 + 0.1×1.62 = 80.542.
			name: "StepDaily",
			in:   []Point{{at(0), 80}, {at(1), 82}, {at(2), 82}, {at(3), 82}},
			want: []Point{{at(0), 80}, {at(1), 80.2}, {at(2), 80.38}, {at(3), 80.542}},
		},
		{
			// 10-day gap: a = 1 − 0.9^10 = 1 − 0.3486784401 = 0.6513215599; 80 + 0.6513215599×10 = 86.513215599.
			name: "TenDayGap",
			in:   []Point{{at(0), 80}, {at(10), 90}},
			want: []Point{{at(0), 80}, {at(10), 86.513215599}},
		},
		{
			// 12 h apart: a = 1 − 0.9^0.5 = 1 − 0.9486832981 = 0.0513167019; 80 + 0.0513167019×1 = 80.0513167019.
			name: "TwelveHoursApart",
			in:   []Point{{at(0), 80}, {at(0.5), 81}},
			want: []Point{{at(0), 80}, {at(0.5), 80.05131670194949}},
		},
		{
			// Sorted first, then as StepDaily: 80, 80.2, 80.38.
			name: "Unsorted",
			in:   []Point{{at(2), 82}, {at(0), 80}, {at(1), 82}},
			want: []Point{{at(0), 80}, {at(1), 80.2}, {at(2), 80.38}},
		},
		{
			// Δdays = 0 gives a = 1 − 0.9^0 = 0: the second reading at the same instant does not move the trend.
			name: "SameInstant",
			in:   []Point{{at(0), 80}, {at(0), 90}},
			want: []Point{{at(0), 80}, {at(0), 80}},
		},
		{name: "Empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]Point(nil), tt.in...)
			got := Trend(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("len = %d, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !got[i].T.Equal(tt.want[i].T) || !near(got[i].Kg, tt.want[i].Kg) {
					t.Errorf("[%d] = %v %v, want %v %v", i, got[i].T, got[i].Kg, tt.want[i].T, tt.want[i].Kg)
				}
			}
			for i := range in {
				if in[i] != tt.in[i] {
					t.Errorf("input[%d] changed: got %v, want %v", i, tt.in[i], in[i])
				}
			}
		})
	}
}

func TestTrendAt(t *testing.T) {
	trend := []Point{{at(0), 80}, {at(2), 81}, {at(3), 79}}
	tests := []struct {
		name   string
		trend  []Point
		t      time.Time
		want   float64
		wantOK bool
	}{
		{"Nil", nil, at(0), 0, false},
		{"BeforeFirst", trend, at(-0.01), 0, false},
		{"AfterLast", trend, at(3.01), 0, false},
		{"AtFirst", trend, at(0), 80, true},
		{"AtLast", trend, at(3), 79, true},
		{"AtMiddlePoint", trend, at(2), 81, true},
		// Halfway between day 0 (80) and day 2 (81): 80 + 0.5×1 = 80.5.
		{"Interpolated", trend, at(1), 80.5, true},
		// A quarter of the way from day 2 (81) to day 3 (79): 81 + 0.25×(−2) = 80.5.
		{"InterpolatedFalling", trend, at(2.25), 80.5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := TrendAt(tt.trend, tt.t)
			if ok != tt.wantOK || !near(got, tt.want) {
				t.Errorf("TrendAt = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// line is a trend at the given days, starting at kg0 and changing perDay kg each day.
func line(kg0, perDay float64, days ...float64) []Point {
	ps := make([]Point, len(days))
	for i, d := range days {
		ps[i] = Point{at(d), kg0 + perDay*d}
	}
	return ps
}

func seq(from, to float64) []float64 {
	var ds []float64
	for d := from; d <= to; d++ {
		ds = append(ds, d)
	}
	return ds
}

func TestWeeklyRate(t *testing.T) {
	tests := []struct {
		name   string
		trend  []Point
		want   float64
		wantOK bool
	}{
		// Slope −0.1 kg/day × 7 = −0.7 kg/week.
		{"FallingTenthPerDay", line(90, -0.1, seq(0, 30)...), -0.7, true},
		// Fractional days are fine: every 12 h, still −0.1 kg/day → −0.7.
		{"HalfDaily", line(90, -0.1, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5), -0.7, true},
		// Rising 0.05 kg/day × 7 = +0.35 kg/week.
		{"Rising", line(70, 0.05, seq(0, 13)...), 0.35, true},
		// The window is (day 33 − 14, day 33] = days 20..33: the flat 100s at days 0..19 (day 19 on the edge) are
		// left out, so only the −0.1 kg/day line counts: −0.7.
		{"OlderPointsIgnored", append(line(100, 0, seq(0, 19)...), line(90, -0.1, seq(20, 33)...)...), -0.7, true},
		// Exactly 4 points spanning exactly 7 days: days 0, 2, 5, 7 on a −0.1 line → −0.7.
		{"FourPointsSevenDays", line(80, -0.1, 0, 2, 5, 7), -0.7, true},
		{"ThreePoints", line(80, -0.1, 0, 5, 10), 0, false},
		// Six daily points span 5 days, under a week.
		{"SpanUnderAWeek", line(80, -0.1, seq(0, 5)...), 0, false},
		// 4 points but spanning 6.5 days.
		{"SpanJustUnder", line(80, -0.1, 0, 2, 4, 6.5), 0, false},
		{"Empty", nil, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := WeeklyRate(tt.trend)
			if ok != tt.wantOK || !near(got, tt.want) {
				t.Errorf("WeeklyRate = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestDailyCalories(t *testing.T) {
	tests := []struct{ kgPerWeek, want float64 }{
		{-0.5, -550}, // −0.5 × 7700 / 7 = −3850 / 7 = −550
		{0.7, 770},   // 0.7 × 7700 / 7 = 770
		{0, 0},
	}
	for _, tt := range tests {
		if got := DailyCalories(tt.kgPerWeek); !near(got, tt.want) {
			t.Errorf("DailyCalories(%v) = %v, want %v", tt.kgPerWeek, got, tt.want)
		}
	}
}
