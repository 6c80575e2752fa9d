package likeness

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDrawGolden(t *testing.T) {
	tests := []struct {
		in                   Input
		shoulder, waist, hip float64
		prefix               string // neck, shoulder and outer arm: shows Shoulder and where the hand sits
	}{
		{Input{BMI: 18}, 21.7, 14.9, 17.1, "M54.5,32C54.5,42 38.3,42 38.3,56C38.3,80 31.7,98 31.7,120C"},
		{Input{BMI: 22}, 22.5, 16.7, 18.5, "M54.5,32C54.5,42 37.5,42 37.5,56C37.5,80 30,98 30,120C"},
		{Input{BMI: 27}, 23.6, 18.9, 20.2, "M54.5,32C54.5,42 36.4,42 36.4,56C36.4,80 28,98 28,120C"},
		{Input{BMI: 33}, 24.9, 21.6, 22.3, "M54.5,32C54.5,42 35.1,42 35.1,56C35.1,80 25.5,98 25.5,120C"},
		{Input{BMI: 40}, 26.4, 24.8, 24.8, "M54.5,32C54.5,42 33.6,42 33.6,56C33.6,80 22.5,98 22.5,120C"},
		// Fat below what BMI suggests slims the waist, above it broadens it; shoulders never move.
		{Input{BMI: 18, FatPct: 15, HasFat: true}, 21.7, 13.8, 16.6, "M54.5,32C54.5,42 38.3,42 38.3,56C38.3,80 32.2,98 32.2,120C"},
		{Input{BMI: 22, FatPct: 30, HasFat: true}, 22.5, 17.9, 18.9, "M54.5,32C54.5,42 37.5,42 37.5,56C37.5,80 29.6,98 29.6,120C"},
		{Input{BMI: 27, FatPct: 25, HasFat: true}, 23.6, 17.7, 19.7, "M54.5,32C54.5,42 36.4,42 36.4,56C36.4,80 28.5,98 28.5,120C"},
		{Input{BMI: 33, FatPct: 45, HasFat: true}, 24.9, 23.3, 22.9, "M54.5,32C54.5,42 35.1,42 35.1,56C35.1,80 24.5,98 24.5,120C"},
		{Input{BMI: 40, FatPct: 40, HasFat: true}, 26.4, 23.4, 24.2, "M54.5,32C54.5,42 33.6,42 33.6,56C33.6,80 23.1,98 23.1,120C"},
	}
	for _, tt := range tests {
		f := Draw(tt.in)
		got := [3]float64{f.Shoulder, f.Waist, f.Hip}
		if want := [3]float64{tt.shoulder, tt.waist, tt.hip}; got != want {
			t.Errorf("Draw(%+v) shoulder, waist, hip = %v, want %v", tt.in, got, want)
		}
		if !strings.HasPrefix(f.Body, tt.prefix) {
			t.Errorf("Draw(%+v).Body = %s\nwant prefix %s", tt.in, f.Body, tt.prefix)
		}
		if f.ViewBox != "0 0 120 240" || f.Head != (Circle{60, 22, 14}) {
			t.Errorf("Draw(%+v) viewBox %q head %+v, want the constant ones", tt.in, f.ViewBox, f.Head)
		}
	}
}

func TestDrawWholePath(t *testing.T) {
	// The reference figure in full, so that any change to the outline shows up in review.
	want := "M54.5,32C54.5,42 37.5,42 37.5,56C37.5,80 30,98 30,120C30,131 37.5,131 37.5,120" +
		"C37.5,92 39.8,68 43.8,68C43.8,80 43.3,88 43.3,100C43.3,112 41.5,112 41.5,122" +
		"C41.5,150 49,190 49,220C49,230 56.5,230 56.5,220C56.5,180 57.5,138 60,138" +
		"C62.5,138 63.5,180 63.5,220C63.5,230 71,230 71,220C71,190 78.5,150 78.5,122" +
		"C78.5,112 76.7,112 76.7,100C76.7,88 76.2,80 76.2,68C80.2,68 82.5,92 82.5,120" +
		"C82.5,131 90,131 90,120C90,98 82.5,80 82.5,56C82.5,42 65.5,42 65.5,32Z"
	if got := Draw(Input{BMI: 22}).Body; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func fatCases() []Input {
	return []Input{{}, {FatPct: 5, HasFat: true}, {FatPct: 15, HasFat: true}, {FatPct: 30, HasFat: true},
		{FatPct: 45, HasFat: true}, {FatPct: 60, HasFat: true}}
}

func TestMonotonicInBMI(t *testing.T) {
	for _, fat := range fatCases() {
		var prev Figure
		for bmi := 15.0; bmi <= 45; bmi += 0.5 {
			in := fat
			in.BMI = bmi
			f := Draw(in)
			if bmi > 15 && (f.Shoulder < prev.Shoulder || f.Waist < prev.Waist || f.Hip < prev.Hip) {
				t.Errorf("fat %+v: BMI %.1f gives shoulder, waist, hip %v %v %v, narrower than %v %v %v at BMI %.1f",
					fat, bmi, f.Shoulder, f.Waist, f.Hip, prev.Shoulder, prev.Waist, prev.Hip, bmi-0.5)
			}
			prev = f
		}
	}
}

func TestWaistGrowsMost(t *testing.T) {
	lo, hi := Draw(Input{BMI: 15}), Draw(Input{BMI: 45})
	shoulder, waist, hip := hi.Shoulder-lo.Shoulder, hi.Waist-lo.Waist, hi.Hip-lo.Hip
	if !(waist > hip && hip > shoulder && shoulder > 0) {
		t.Errorf("growth from BMI 15 to 45: shoulder %.1f, waist %.1f, hip %.1f; want waist > hip > shoulder > 0",
			shoulder, waist, hip)
	}
	// At a fixed BMI more body fat never narrows the waist, and never moves the shoulders.
	var prev Figure
	for i, fat := range fatCases()[1:] {
		fat.BMI = 27
		f := Draw(fat)
		if i > 0 && (f.Waist < prev.Waist || f.Hip < prev.Hip || f.Shoulder != prev.Shoulder) {
			t.Errorf("at BMI 27, fat %.0f%% gives %v %v %v after %v %v %v", fat.FatPct,
				f.Shoulder, f.Waist, f.Hip, prev.Shoulder, prev.Waist, prev.Hip)
		}
		prev = f
	}
}

func TestTypicalFatDrawsLikeBMIAlone(t *testing.T) {
	// 1.2 x 25 - 2 = 28 %: what BMI 25 alone suggests, so knowing it changes nothing.
	got, want := Draw(Input{BMI: 25, FatPct: 28, HasFat: true}), Draw(Input{BMI: 25})
	if got.Body != want.Body {
		t.Errorf("got  %s\nwant %s", got.Body, want.Body)
	}
	// HasFat with no usable number falls back to BMI alone.
	for _, fat := range []float64{0, -3, math.NaN(), math.Inf(1)} {
		if got := Draw(Input{BMI: 25, FatPct: fat, HasFat: true}); got.Body != want.Body {
			t.Errorf("fat %v: got %s\nwant %s", fat, got.Body, want.Body)
		}
	}
}

func TestClamping(t *testing.T) {
	ignoreDesc := cmpopts.IgnoreFields(Figure{}, "Desc")
	for _, tt := range []struct{ bmi, like float64 }{{60, 45}, {46, 45}, {10, 15}, {14.9, 15}} {
		for _, fat := range fatCases() {
			in, like := fat, fat
			in.BMI, like.BMI = tt.bmi, tt.like
			if diff := cmp.Diff(Draw(like), Draw(in), ignoreDesc); diff != "" {
				t.Errorf("BMI %v should draw like %v (fat %+v) (-want +got):\n%s", tt.bmi, tt.like, fat, diff)
			}
		}
	}
	// Desc keeps the number as measured.
	if got := Draw(Input{BMI: 60}).Desc; !strings.Contains(got, "BMI 60.0") {
		t.Errorf("Desc = %q, want the measured BMI 60.0", got)
	}
}

var pathCommand = regexp.MustCompile(`^M(-?[0-9.]+,-?[0-9.]+)((?:C-?[0-9.]+,-?[0-9.]+ -?[0-9.]+,-?[0-9.]+ -?[0-9.]+,-?[0-9.]+)+)Z$`)

// pathPoints checks the path grammar Draw promises (M, cubic C segments, Z) and returns every point in it.
func pathPoints(t *testing.T, d string) [][2]float64 {
	t.Helper()
	if !pathCommand.MatchString(d) {
		t.Fatalf("path is not M, C... Z: %s", d)
	}
	var pts [][2]float64
	for _, pair := range regexp.MustCompile(`-?[0-9.]+,-?[0-9.]+`).FindAllString(d, -1) {
		xs, ys, _ := strings.Cut(pair, ",")
		if decimals(xs) > 1 || decimals(ys) > 1 {
			t.Errorf("coordinate %s has more than one decimal", pair)
		}
		x, errX := strconv.ParseFloat(xs, 64)
		y, errY := strconv.ParseFloat(ys, 64)
		if errX != nil || errY != nil {
			t.Fatalf("bad point %q in %s", pair, d)
		}
		pts = append(pts, [2]float64{x, y})
	}
	return pts
}

func decimals(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

func gridInputs() []Input {
	bmis := []float64{-5, 0, 10, 60, 200, math.NaN(), math.Inf(1), math.Inf(-1)}
	for b := 14.0; b <= 50; b += 1.5 {
		bmis = append(bmis, b)
	}
	fats := []Input{{}, {FatPct: math.NaN(), HasFat: true}, {FatPct: 95, HasFat: true}, {FatPct: 1, HasFat: true}}
	fats = append(fats, fatCases()...)
	var ins []Input
	for _, b := range bmis {
		for _, f := range fats {
			f.BMI = b
			ins = append(ins, f)
		}
	}
	return ins
}

func TestInsideViewBox(t *testing.T) {
	// A cubic Bézier stays inside the hull of its control points, so checking every point of the path
	// bounds the whole outline.
	const margin = 2 // room for the outline's stroke
	for _, in := range gridInputs() {
		f := Draw(in)
		maxY := 0.0
		for _, p := range pathPoints(t, f.Body) {
			if p[0] < margin || p[0] > 120-margin || p[1] < margin || p[1] > 240-margin {
				t.Errorf("Draw(%+v): point %v outside the viewBox", in, p)
			}
			maxY = max(maxY, p[1])
		}
		if maxY != 230 {
			t.Errorf("Draw(%+v): lowest point at %v, want 230 at every size", in, maxY)
		}
		if h := f.Head; h.CX-h.R < margin || h.CY-h.R < margin || h.CX+h.R > 120-margin {
			t.Errorf("Draw(%+v): head %+v outside the viewBox", in, h)
		}
	}
}

func TestSymmetric(t *testing.T) {
	for _, in := range gridInputs() {
		pts := pathPoints(t, Draw(in).Body)
		seen := map[[2]float64]bool{}
		for _, p := range pts {
			seen[p] = true
		}
		for _, p := range pts {
			if m := [2]float64{round1(120 - p[0]), p[1]}; !seen[m] {
				t.Errorf("Draw(%+v): %v has no mirror image %v", in, p, m)
			}
		}
	}
}

// TestArmsClearOfBody samples the inner edge of the arm and the side of the torso at the same heights: the
// arm must stay outside, or a broad waist would swallow it.
func TestArmsClearOfBody(t *testing.T) {
	for _, in := range gridInputs() {
		_, segs := shapeOf(in).leftHalf()
		arm := sample(segs[2].end, segs[3])
		torso := append(sample(segs[3].end, segs[4]), sample(segs[4].end, segs[5])...)
		for y := armpitY + 3; y <= handY; y += 1 {
			if a, b := xAt(arm, y), xAt(torso, y); a <= b {
				t.Errorf("Draw(%+v): at y %v the arm's inner edge (%.1f) is not outside the body (%.1f)", in, y, a, b)
			}
		}
	}
}

func sample(from pt, s seg) []pt {
	var out []pt
	for i := 0; i <= 200; i++ {
		u := float64(i) / 200
		v := 1 - u
		b := func(a, c1, c2, e float64) float64 {
			return v*v*v*a + 3*v*v*u*c1 + 3*v*u*u*c2 + u*u*u*e
		}
		out = append(out, pt{b(from.x, s.c1.x, s.c2.x, s.end.x), b(from.y, s.c1.y, s.c2.y, s.end.y)})
	}
	return out
}

// xAt is the half-width of the sampled curve nearest to height y.
func xAt(curve []pt, y float64) float64 {
	best := curve[0]
	for _, p := range curve {
		if math.Abs(p.y-y) < math.Abs(best.y-y) {
			best = p
		}
	}
	return best.x
}
