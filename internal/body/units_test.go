package body

import (
	"math"
	"testing"
)

func TestUnits(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		u    Unit
		kg   float64
	}{
		{"Kilograms", 80, Kilograms, 80},
		{"Pounds", 165.8, Pounds, 75.20561494600001},
		{"OnePound", 1, Pounds, 0.45359237},
		{"Stone", 12.5, Stone, 79.378664750},
		{"OneStone", 1, Stone, 6.35029318},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ToKg(tt.v, tt.u); math.Abs(got-tt.kg) > 1e-9 {
				t.Errorf("ToKg(%v, %s) = %v, want %v", tt.v, tt.u, got, tt.kg)
			}
			if back := FromKg(ToKg(tt.v, tt.u), tt.u); math.Abs(back-tt.v) > 1e-9 {
				t.Errorf("FromKg(ToKg(%v)) = %v", tt.v, back)
			}
		})
	}
	for in, want := range map[string]Unit{"KG": Kilograms, " lbs": Pounds, "Pounds": Pounds, "stone": Stone, "st": Stone} {
		if got, err := ParseUnit(in); err != nil || got != want {
			t.Errorf("ParseUnit(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseUnit("furlongs"); err == nil {
		t.Error("ParseUnit accepted furlongs")
	}
}
