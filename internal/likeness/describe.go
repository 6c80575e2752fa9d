package likeness

import (
	"fmt"
	"math"
	"strings"
)

// similarWaist is the waist difference, in viewBox units (about one BMI point), below which two figures are
// described as similar rather than slimmer or broader.
const similarWaist = 0.5

// Words are chosen to be neutral: only "slimmer", "broader" and "similar" describe a shape, and body fat is
// only ever named as a measurement ("body fat 24%").
func describe(in Input, s shape) string {
	if !s.bmiKnown {
		return "Figure with no BMI yet: drawn at the shape for BMI 22."
	}
	ref := shapeOf(Input{BMI: refBMI})
	return fmt.Sprintf("Figure at %s: %s.", measures(in, s), waistWords(s.waist, ref.waist, "than at BMI 22", "the figure at BMI 22"))
}

// Compare describes two figures side by side for the text alternative, e.g.
// "Then (2025-11-24): BMI 28.1. Now: BMI 26.3, a slimmer waist." Empty labels read "Then" and "Now".
func Compare(then, now Input, thenLabel, nowLabel string) string {
	if thenLabel == "" {
		thenLabel = "Then"
	}
	if nowLabel == "" {
		nowLabel = "Now"
	}
	ts, ns := shapeOf(then), shapeOf(now)
	if !ts.bmiKnown || !ns.bmiKnown {
		return fmt.Sprintf("%s: %s. %s: %s.", thenLabel, measuresOrNone(then, ts), nowLabel, measuresOrNone(now, ns))
	}
	return fmt.Sprintf("%s: %s. %s: %s, a %s.", thenLabel, measures(then, ts), nowLabel, measures(now, ns),
		waistWords(ns.waist, ts.waist, "", ""))
}

// measures reads "BMI 27.4" or "BMI 27.4, body fat 24%", giving the numbers as measured, not as clamped.
func measures(in Input, s shape) string {
	out := fmt.Sprintf("BMI %.1f", in.BMI)
	if s.fatInDrawing {
		out += fmt.Sprintf(", body fat %.0f%%", in.FatPct)
	}
	return out
}

func measuresOrNone(in Input, s shape) string {
	if !s.bmiKnown {
		return "no BMI yet"
	}
	return measures(in, s)
}

// waistWords compares a waist with a reference: "broader waist than at BMI 22", or "similar shape to the
// figure at BMI 22". Empty than/to give the short forms "broader waist" and "similar shape".
func waistWords(waist, ref float64, than, to string) string {
	var words string
	switch d := waist - ref; {
	case math.Abs(d) < similarWaist:
		words = "similar shape"
		if to != "" {
			words += " to " + to
		}
		return words
	case d > 0:
		words = "broader waist"
	default:
		words = "slimmer waist"
	}
	return strings.TrimSpace(words + " " + than)
}
