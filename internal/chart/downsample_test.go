package chart

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestDownsample(t *testing.T) {
	points := series(date(2020, 1, 1), 5000, 7*time.Hour)
	points[1234].V = 120 // global maximum
	points[3210].V = 40  // global minimum
	for _, max := range []int{4, 5, 50, 1000, 4999} {
		got := Downsample(points, max)
		if len(got) > max {
			t.Errorf("max %d: got %d points", max, len(got))
		}
		if len(got) < max/2 {
			t.Errorf("max %d: got only %d points", max, len(got))
		}
		if got[0] != points[0] || got[len(got)-1] != points[len(points)-1] {
			t.Errorf("max %d: first or last point lost", max)
		}
		if !slices.Contains(got, points[1234]) || !slices.Contains(got, points[3210]) {
			t.Errorf("max %d: global extremes lost", max)
		}
		if !slices.IsSortedFunc(got, byTime) {
			t.Errorf("max %d: not in time order", max)
		}
	}
}

func TestDownsampleUnchanged(t *testing.T) {
	points := series(date(2020, 1, 1), 10, time.Hour)
	for _, max := range []int{10, 11, 0, -1} {
		got := Downsample(points, max)
		if len(got) != len(points) || &got[0] != &points[0] {
			t.Errorf("max %d: got a different slice, want the input", max)
		}
	}
}

func TestDownsampleUnsorted(t *testing.T) {
	points := series(date(2020, 1, 1), 100, time.Hour)
	slices.Reverse(points)
	before := slices.Clone(points)
	got := Downsample(points, 20)
	if !slices.IsSortedFunc(got, byTime) {
		t.Errorf("not in time order")
	}
	if !slices.Equal(points, before) {
		t.Errorf("input was modified")
	}
}

func TestDownsampleSmallMax(t *testing.T) {
	points := series(date(2020, 1, 1), 100, time.Hour)
	first, last := points[0], points[99]
	tests := []struct {
		max  int
		want []Point
	}{
		{1, []Point{first}},
		{2, []Point{first, last}},
		{3, []Point{first, last}},
	}
	for _, tt := range tests {
		if got := Downsample(points, tt.max); !slices.Equal(got, tt.want) {
			t.Errorf("max %d: got %v, want %v", tt.max, got, tt.want)
		}
	}
}

func TestDownsampleSameInstant(t *testing.T) {
	points := make([]Point, 50)
	for i := range points {
		points[i] = Point{T: date(2024, 1, 1), V: math.Sin(float64(i))}
	}
	got := Downsample(points, 10)
	if len(got) != 4 { // first, last, and the single bucket's min and max
		t.Errorf("got %d points, want 4", len(got))
	}
}
