// Package likeness draws a neutral SVG figure whose proportions follow BMI and body fat.
package likeness

import (
	"math"
	"strconv"
	"strings"
)

// Input is what the figure follows.
type Input struct {
	BMI    float64 // trend BMI; clamped to 15..45 for drawing
	FatPct float64 // 0 when unknown: proportions then follow BMI alone
	HasFat bool
}

// Figure is everything the "likeness" template needs to draw one figure. Coordinates are rounded to 0.1 so
// that the markup stays small and golden tests stay exact.
type Figure struct {
	ViewBox              string // "0 0 120 240"
	Head                 Circle
	Body                 string // one closed SVG path: torso, arms and legs as one silhouette of cubic Béziers
	Desc                 string // plain-language description for screen readers
	Shoulder, Waist, Hip float64
}

// Circle is an SVG circle.
type Circle struct{ CX, CY, R float64 }

// Pair is the template data for "likeness": the figure at the start of the chosen range beside today's.
type Pair struct {
	Then, Now           Figure
	ThenLabel, NowLabel string
	Text                string // Compare's sentence
}

// The figure keeps one height and one head at every size: it is a likeness of shape, not stature, and the
// same friendly figure whatever the numbers.
const (
	viewBox = "0 0 120 240"
	midX    = 60.0

	minBMI, maxBMI = 15.0, 45.0
	refBMI         = 22.0 // the shape Desc compares against

	minFat, maxFat = 3.0, 60.0
	// fatPull is how strongly body fat moves the waist away from what BMI alone suggests; it must stay below
	// 1/expectedFatSlope so that, at a fixed fat %, the waist still grows with BMI.
	fatPull          = 0.5
	maxFatShift      = 0.15
	expectedFatSlope = 1.2
	expectedFatBase  = -2.0
)

// Draw builds the figure for in. A BMI outside 15..45 draws like the nearest bound; a BMI that is not a
// finite positive number draws the reference shape (BMI 22).
func Draw(in Input) Figure {
	s := shapeOf(in)
	return Figure{
		ViewBox:  viewBox,
		Head:     Circle{CX: midX, CY: headCY, R: headR},
		Body:     s.path(),
		Desc:     describe(in, s),
		Shoulder: s.shoulder,
		Waist:    s.waist,
		Hip:      s.hip,
	}
}

// shape holds the half-widths (distances from the centre line) that the path is built from.
type shape struct {
	chest, shoulder        float64
	waist, hip             float64
	handIn, handOut        float64
	ankleIn, ankleOut      float64
	bmiKnown, fatInDrawing bool
}

func shapeOf(in Input) shape {
	bmi, known := in.BMI, in.BMI > 0 && !math.IsInf(in.BMI, 0) // NaN fails the comparison
	if !known {
		bmi = refBMI
	}
	bmi = clamp(bmi, minBMI, maxBMI)
	// t runs from 0 at BMI 15 to 1 at BMI 45.
	t := (bmi - minBMI) / (maxBMI - minBMI)

	// Body fat moves the waist (and half as much the hips) by how far it sits from what BMI alone suggests, so a
	// typical fat % draws exactly the BMI-only figure. The shift is bounded to keep proportions gentle.
	shift, fatUsed := 0.0, in.HasFat && in.FatPct > 0 && !math.IsInf(in.FatPct, 0)
	if fatUsed {
		expected := float64(expectedFatSlope*bmi) + expectedFatBase
		shift = clamp(fatPull*(clamp(in.FatPct, minFat, maxFat)-expected)/30, -maxFatShift, maxFatShift)
	}
	tw := clamp(t+shift, 0, 1)
	th := clamp(t+shift/2, 0, 1)

	s := shape{bmiKnown: known, fatInDrawing: fatUsed}
	s.chest = round1(lerp(15, 20, t))
	s.shoulder = round1(lerp(21, 27.5, t))
	s.waist = round1(lerp(13.5, 27, tw))
	s.hip = round1(lerp(16, 26.5, th))
	// The arms hang slightly outwards, always clear of the waist and hips, so a broad waist never hides them.
	s.handIn = round1(math.Max(s.waist, s.hip) + 4)
	s.handOut = round1(s.handIn + lerp(7, 9, t))
	s.ankleIn = round1(lerp(3, 5, t))
	s.ankleOut = round1(s.ankleIn + lerp(7, 9, t))
	return s
}

// Vertical layout, top to bottom. The neck starts inside the head so the head circle covers the join.
const (
	headCY, headR = 22.0, 14.0
	neckHalf      = 5.5
	neckY         = 32.0
	shoulderY     = 56.0
	armpitY       = 68.0
	waistY        = 100.0
	hipY          = 122.0
	handY         = 120.0
	crotchY       = 138.0
	ankleY        = 220.0
)

type pt struct{ x, y float64 } // x is a half-width: distance to the left of the centre line

type seg struct{ c1, c2, end pt } // one cubic Bézier

// leftHalf traces the left side from the neck, round the arm, down the torso and leg, to the crotch on the
// centre line. The right side is its mirror image.
func (s shape) leftHalf() (start pt, segs []seg) {
	return pt{neckHalf, neckY}, []seg{
		{pt{neckHalf, 42}, pt{s.shoulder, 42}, pt{s.shoulder, shoulderY}},                // neck to shoulder
		{pt{s.shoulder, 80}, pt{s.handOut, 98}, pt{s.handOut, handY}},                    // outer arm
		{pt{s.handOut, handY + 11}, pt{s.handIn, handY + 11}, pt{s.handIn, handY}},       // hand
		{pt{s.handIn, 92}, pt{s.chest + 4, armpitY}, pt{s.chest, armpitY}},               // inner arm
		{pt{s.chest, 80}, pt{s.waist, 88}, pt{s.waist, waistY}},                          // chest to waist
		{pt{s.waist, 112}, pt{s.hip, 112}, pt{s.hip, hipY}},                              // waist to hip
		{pt{s.hip, 150}, pt{s.ankleOut, 190}, pt{s.ankleOut, ankleY}},                    // outer leg
		{pt{s.ankleOut, ankleY + 10}, pt{s.ankleIn, ankleY + 10}, pt{s.ankleIn, ankleY}}, // foot
		{pt{s.ankleIn, 180}, pt{2.5, crotchY}, pt{0, crotchY}},                           // inner leg
	}
}

// path writes the closed silhouette: the left half, then the right half traced backwards, closing across
// the neck under the head.
func (s shape) path() string {
	start, segs := s.leftHalf()
	left := func(p pt) pt { return pt{midX - p.x, p.y} }
	right := func(p pt) pt { return pt{midX + p.x, p.y} }

	var b strings.Builder
	b.WriteString("M")
	writePt(&b, left(start))
	for _, sg := range segs {
		writeCubic(&b, left(sg.c1), left(sg.c2), left(sg.end))
	}
	// Backwards, a segment runs from its end to the previous segment's end with its controls swapped.
	for i := len(segs) - 1; i >= 0; i-- {
		prev := start
		if i > 0 {
			prev = segs[i-1].end
		}
		writeCubic(&b, right(segs[i].c2), right(segs[i].c1), right(prev))
	}
	b.WriteString("Z")
	return b.String()
}

func writeCubic(b *strings.Builder, c1, c2, end pt) {
	b.WriteString("C")
	writePt(b, c1)
	b.WriteString(" ")
	writePt(b, c2)
	b.WriteString(" ")
	writePt(b, end)
}

func writePt(b *strings.Builder, p pt) {
	b.WriteString(num(p.x))
	b.WriteString(",")
	b.WriteString(num(p.y))
}

func num(v float64) string {
	v = round1(v)
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// lerp converts the product explicitly because Go may otherwise fuse a*b+c into one instruction on some
// architectures, which moves values that sit on a rounding boundary and would make the figure differ by CPU.
func lerp(a, b, t float64) float64 { return a + float64((b-a)*t) }

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func clamp(v, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, v)) }
