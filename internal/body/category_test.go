package body

import (
	"math"
	"testing"
)

func TestCategory(t *testing.T) {
	tests := []struct {
		bmi  float64
		want string
	}{
		{18.49, "Underweight"},
		{18.5, "Healthy weight"},
		{24.99, "Healthy weight"},
		{25, "Overweight"},
		{29.99, "Overweight"},
		{30, "Obesity"},
		{45, "Obesity"},
		{0, ""}, // unknown height: BMI returns 0
		{math.NaN(), ""},
	}
	for _, tt := range tests {
		if got := Category(tt.bmi); got.Name != tt.want {
			t.Errorf("Category(%v) = %q, want %q", tt.bmi, got.Name, tt.want)
		}
	}
	if last := WHOCategories[len(WHOCategories)-1]; !math.IsInf(last.Max, 1) {
		t.Errorf("last Max = %v, want +Inf", last.Max)
	}
	for i := 1; i < len(WHOCategories); i++ {
		if WHOCategories[i].Min != WHOCategories[i-1].Max {
			t.Errorf("gap between %q and %q", WHOCategories[i-1].Name, WHOCategories[i].Name)
		}
	}
}

func TestComposition(t *testing.T) {
	tests := []struct {
		name              string
		kg, pct           float64
		wantFat, wantLean float64
	}{
		{"OK", 80, 25, 20, 60},                 // 80 × 0.25 = 20 fat; 80 − 20 = 60 lean
		{"Fractional", 70, 18.5, 12.95, 57.05}, // 70 × 0.185 = 12.95; 70 − 12.95 = 57.05
		{"NoFat", 80, 0, 0, 80},
		{"NegativePct", 80, -1, 0, 0},
		{"OverHundred", 80, 101, 0, 0},
		{"NoWeight", 0, 25, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fat, lean := Composition(tt.kg, tt.pct)
			if !near(fat, tt.wantFat) || !near(lean, tt.wantLean) {
				t.Errorf("Composition(%v, %v) = %v, %v; want %v, %v", tt.kg, tt.pct, fat, lean, tt.wantFat, tt.wantLean)
			}
		})
	}
}
