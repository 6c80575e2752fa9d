package body

import (
	"math"
	"testing"
)

func TestFormatWeight(t *testing.T) {
	tests := []struct {
		name string
		kg   float64
		u    Unit
		want string
	}{
		{"Kg", 82.4177, Kilograms, "82.4 kg"},
		{"KgRoundsUp", 82.46, Kilograms, "82.5 kg"},
		// 82.417733629 kg / 0.45359237 = 181.7 lb.
		{"Lb", 82.417733629, Pounds, "181.7 lb"},
		// 0.45359237 kg is one pound exactly.
		{"OnePound", 0.45359237, Pounds, "1.0 lb"},
		// 12.5 st = 175 lb = 79.37866475 kg; 175 = 12×14 + 7.
		{"StoneHalf", 79.378664750, Stone, "12 st 7.0 lb"},
		// 181.7 lb = 12×14 + 13.7.
		{"StoneHighPounds", 82.417733629, Stone, "12 st 13.7 lb"},
		// 13.96 lb rounds to 14.0 lb, which carries into a stone.
		{"StoneCarry", 13.96 * KgPerPound, Stone, "1 st 0.0 lb"},
		// 13.94 lb rounds to 13.9 and stays under a stone.
		{"StoneNoCarry", 13.94 * KgPerPound, Stone, "0 st 13.9 lb"},
		{"UnknownUnitIsKg", 80, Unit("furlong"), "80.0 kg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatWeight(tt.kg, tt.u); got != tt.want {
				t.Errorf("FormatWeight(%v, %s) = %q, want %q", tt.kg, tt.u, got, tt.want)
			}
		})
	}
}

func TestFormatChange(t *testing.T) {
	tests := []struct {
		name string
		kg   float64
		u    Unit
		want string
	}{
		{"KgLoss", -1.23, Kilograms, "−1.2 kg"},
		{"KgGain", 0.36, Kilograms, "+0.4 kg"},
		// −0.04 rounds to 0.0: no sign, never "−0.0".
		{"KgRoundsToZero", -0.04, Kilograms, "0.0 kg"},
		// 0.4 lb × 0.45359237 = 0.181436948 kg.
		{"LbGain", 0.181436948, Pounds, "+0.4 lb"},
		// −3.1 lb × 0.45359237 = −1.406136347 kg.
		{"LbLoss", -1.406136347, Pounds, "−3.1 lb"},
		// Stone shows pounds only.
		{"StoneLoss", -1.406136347, Stone, "−3.1 lb"},
		{"StoneGain", 1.406136347, Stone, "+3.1 lb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatChange(tt.kg, tt.u); got != tt.want {
				t.Errorf("FormatChange(%v, %s) = %q, want %q", tt.kg, tt.u, got, tt.want)
			}
		})
	}
}

func TestFormatRate(t *testing.T) {
	tests := []struct {
		name string
		kg   float64
		u    Unit
		want string
	}{
		{"KgLoss", -0.45, Kilograms, "−0.45 kg/week"},
		{"KgGain", 0.254, Kilograms, "+0.25 kg/week"},
		{"KgZero", 0, Kilograms, "0.00 kg/week"},
		// −0.45359237 kg/week is −1 lb/week.
		{"LbLoss", -0.45359237, Pounds, "−1.0 lb/week"},
		// 0.5 kg / 0.45359237 = 1.1023 lb.
		{"LbGain", 0.5, Pounds, "+1.1 lb/week"},
		{"StoneIsLb", -0.45359237, Stone, "−1.0 lb/week"},
		{"StoneGain", 0.5, Stone, "+1.1 lb/week"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatRate(tt.kg, tt.u); got != tt.want {
				t.Errorf("FormatRate(%v, %s) = %q, want %q", tt.kg, tt.u, got, tt.want)
			}
		})
	}
}

func TestValueInAndLabel(t *testing.T) {
	tests := []struct {
		u     Unit
		want  float64
		label string
	}{
		{Kilograms, 79.37866475, "kg"},
		{Pounds, 175, "lb"}, // 79.37866475 / 0.45359237 = 175
		{Stone, 12.5, "st"}, // 175 / 14 = 12.5 decimal stone
	}
	for _, tt := range tests {
		if got := ValueIn(79.37866475, tt.u); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("ValueIn(79.37866475, %s) = %v, want %v", tt.u, got, tt.want)
		}
		if got := UnitLabel(tt.u); got != tt.label {
			t.Errorf("UnitLabel(%s) = %q, want %q", tt.u, got, tt.label)
		}
	}
}
