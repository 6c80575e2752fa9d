package body

import (
	"math"
	"testing"
)

func TestBMI(t *testing.T) {
	tests := []struct {
		name             string
		weightKg, height float64
		want             float64
	}{
		{"OK", 80, 178, 25.249337},
		{"Tall", 70, 200, 17.5},
		{"UnknownHeight", 80, 0, 0},
		{"NoWeight", 0, 178, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BMI(tt.weightKg, tt.height); math.Abs(got-tt.want) > 1e-6 {
				t.Errorf("BMI(%v, %v) = %v, want %v", tt.weightKg, tt.height, got, tt.want)
			}
		})
	}
}
