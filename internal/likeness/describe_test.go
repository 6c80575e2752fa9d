package likeness

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestDesc(t *testing.T) {
	tests := []struct {
		in   Input
		want string
	}{
		{Input{BMI: 27.4, FatPct: 24, HasFat: true}, "Figure at BMI 27.4, body fat 24%: broader waist than at BMI 22."},
		{Input{BMI: 18}, "Figure at BMI 18.0: slimmer waist than at BMI 22."},
		{Input{BMI: 22.4}, "Figure at BMI 22.4: similar shape to the figure at BMI 22."},
		{Input{BMI: 60}, "Figure at BMI 60.0: broader waist than at BMI 22."},
		{Input{BMI: 25, FatPct: 0, HasFat: true}, "Figure at BMI 25.0: broader waist than at BMI 22."},
		{Input{}, "Figure with no BMI yet: drawn at the shape for BMI 22."},
		{Input{BMI: math.NaN()}, "Figure with no BMI yet: drawn at the shape for BMI 22."},
	}
	for _, tt := range tests {
		if got := Draw(tt.in).Desc; got != tt.want {
			t.Errorf("Draw(%+v).Desc = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	fat := func(bmi, pct float64) Input { return Input{BMI: bmi, FatPct: pct, HasFat: true} }
	tests := []struct {
		name         string
		then, now    Input
		tLabel, nLbl string
		want         string
	}{
		{"Slimmer", Input{BMI: 28.1}, Input{BMI: 26.3}, "Then (2025-11-24)", "Now",
			"Then (2025-11-24): BMI 28.1. Now: BMI 26.3, a slimmer waist."},
		{"Broader", Input{BMI: 21}, Input{BMI: 24}, "Then (2025-01-01)", "Now (2025-06-01)",
			"Then (2025-01-01): BMI 21.0. Now (2025-06-01): BMI 24.0, a broader waist."},
		{"Similar", Input{BMI: 24.1}, Input{BMI: 24.3}, "", "",
			"Then: BMI 24.1. Now: BMI 24.3, a similar shape."},
		{"FatOnlyChanged", fat(25, 34), fat(25, 24), "Then", "Now",
			"Then: BMI 25.0, body fat 34%. Now: BMI 25.0, body fat 24%, a slimmer waist."},
		{"BothAboveRange", Input{BMI: 52}, Input{BMI: 48}, "Then", "Now",
			"Then: BMI 52.0. Now: BMI 48.0, a similar shape."},
		{"NoBMIThen", Input{}, Input{BMI: 23}, "Then", "Now",
			"Then: no BMI yet. Now: BMI 23.0."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(tt.then, tt.now, tt.tLabel, tt.nLbl); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// unkind lists words that must never describe a person's shape. "fat" is allowed only as the measurement
// "body fat N%".
var (
	unkind      = regexp.MustCompile(`(?i)\b(obese|obesity|overweight|underweight|skinny|chubby|thin|heavy|bigger|large|huge|fat)\b`)
	measurement = regexp.MustCompile(`body fat \d+%`)
)

func checkWords(t *testing.T, s string) {
	t.Helper()
	if w := unkind.FindString(measurement.ReplaceAllString(s, "")); w != "" {
		t.Errorf("%q uses %q", s, w)
	}
}

func TestWordsStayNeutral(t *testing.T) {
	// The check itself must catch the words it is for.
	for _, bad := range []string{"a fat waist", "Fat figure", "obese", "Overweight now", "body fat 20%, fat belly"} {
		if w := unkind.FindString(measurement.ReplaceAllString(bad, "")); w == "" {
			t.Errorf("word check misses %q", bad)
		}
	}
	ins := gridInputs()
	for _, in := range ins {
		checkWords(t, Draw(in).Desc)
	}
	for i := 0; i < len(ins); i += 7 {
		for j := 0; j < len(ins); j += 5 {
			s := Compare(ins[i], ins[j], "Then", "Now")
			checkWords(t, s)
			if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
				t.Errorf("%q shows a number that is not one", s)
			}
		}
	}
}
