package body

import (
	"testing"
	"time"
)

func TestGoalProgress(t *testing.T) {
	now := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		target, trend float64
		rate          float64
		wantToGo      float64
		wantDate      time.Time // zero: no date
		wantReached   bool
	}{
		// 75 − 80 = −5 kg at −0.5 kg/week: 10 weeks = 70 days.
		{"LosingTowardLower", 75, 80, -0.5, -5, now.AddDate(0, 0, 70), false},
		// 60 − 55 = +5 kg at +0.25 kg/week: 20 weeks = 140 days.
		{"GainingTowardHigher", 60, 55, 0.25, 5, now.AddDate(0, 0, 140), false},
		// −5 kg to go but gaining 0.5 kg/week: moving away.
		{"MovingAway", 75, 80, 0.5, -5, time.Time{}, false},
		{"Standing", 75, 80, 0, -5, time.Time{}, false},
		// −10 kg at −0.05 kg/week: 200 weeks = 1400 days, over 3 years (1096 days from 2024-06-01).
		{"OverThreeYears", 70, 80, -0.05, -10, time.Time{}, false},
		// −10 kg at −0.07 kg/week: 142.857 weeks = 1000 days, inside 3 years.
		{"UnderThreeYears", 70, 80, -0.07, -10, now.AddDate(0, 0, 1000), false},
		// 80 − 81.134 = −1.134: on the band's edge, inside.
		{"ReachedAtEdgeAbove", 80, 81.134, -0.5, -1.134, time.Time{}, true},
		// 80 − 78.866 = +1.134: on the other edge.
		{"ReachedAtEdgeBelow", 80, 78.866, 0.5, 1.134, time.Time{}, true},
		// 80 − 81.135 = −1.135: just outside, so projected: 1.135 / 0.5 = 2.27 weeks = 15.89 days.
		{"JustOutsideBand", 80, 81.135, -0.5, -1.135, now.Add(time.Duration(15.89 * float64(24*time.Hour))), false},
		{"ReachedExactly", 80, 80, 0, 0, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := GoalProgress(tt.target, tt.trend, tt.rate, now)
			if g.TargetKg != tt.target || !near(g.ToGoKg, tt.wantToGo) || g.Band != 1.134 {
				t.Errorf("target, to go, band = %v, %v, %v; want %v, %v, 1.134", g.TargetKg, g.ToGoKg, g.Band, tt.target, tt.wantToGo)
			}
			if g.Reached != tt.wantReached {
				t.Errorf("Reached = %v, want %v", g.Reached, tt.wantReached)
			}
			wantHas := !tt.wantDate.IsZero()
			if g.HasDate != wantHas {
				t.Fatalf("HasDate = %v, want %v", g.HasDate, wantHas)
			}
			// A second of slack: the date comes from float days.
			if d := g.Projected.Sub(tt.wantDate); d < -time.Second || d > time.Second {
				t.Errorf("Projected = %v, want %v", g.Projected, tt.wantDate)
			}
		})
	}
}
