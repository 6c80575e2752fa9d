package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// golden is TestNewGolden's input: 12, 18, 14 on Jan 1, 3, 5 in a 100 x 100 plot whose Y ticks 10, 15, 20
// map onto 112, 62, 12, so that y(v) = 112 - 10(v-10) and x(Jan d) = 48 + 25(d-1).
func golden() ([]Point, Options) {
	opts := plot100
	opts.Title, opts.Unit, opts.Compact = "Weight (kg)", "kg", true
	return []Point{{T: date(2024, 1, 5), V: 14}, {T: date(2024, 1, 1), V: 12}, {T: date(2024, 1, 3), V: 18}}, opts
}

var goldenYTicks = []Tick{{112, "10"}, {62, "15"}, {12, "20"}}

func TestNewTrendLayer(t *testing.T) {
	points, opts := golden()
	opts.Series = []Series{
		{ // out of order, with a NaN that must be dropped, like the main points
			Points: []Point{{T: date(2024, 1, 5), V: 12.74}, {T: date(2024, 1, 2), V: math.NaN()}, {T: date(2024, 1, 1), V: 12}, {T: date(2024, 1, 3), V: 12.6}},
			Class:  "trend", Line: true,
		},
		{Points: []Point{{T: date(2024, 1, 3), V: 16}}, Class: "marker", Dots: true},
		{Class: "none", Line: true, Dots: true},
	}
	got := New(points, opts)
	want := []Layer{
		{Class: "trend", Line: "48,92 98,86 148,84.6"},
		{Class: "marker", Dots: []Dot{{X: 98, Y: 52, Title: "2024-01-03 · 16.0 kg"}}},
		{Class: "none"},
	}
	if diff := cmp.Diff(want, got.Layers); diff != "" {
		t.Errorf("Layers mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(goldenYTicks, got.YTicks); diff != "" {
		t.Errorf("layers inside the data changed the Y ticks (-want +got):\n%s", diff)
	}
	if want := "48,92 98,32 148,72"; got.Line != want {
		t.Errorf("Line = %q, want %q", got.Line, want)
	}
}

func TestNewLayerWidensRanges(t *testing.T) {
	points, opts := golden()
	// A projection from the last point down to 4 on Jan 9: X now runs Jan 1..9, x = 48 + 12.5(d-1), and Y
	// 4..18 padded, whose nice ticks are 0, 10, 20: y = 112 - 5v.
	opts.Series = []Series{{Points: []Point{{T: date(2024, 1, 5), V: 14}, {T: date(2024, 1, 9), V: 4}}, Class: "projection", Line: true}}
	got := New(points, opts)
	if want := "48,52 73,22 98,42"; got.Line != want {
		t.Errorf("Line = %q, want %q", got.Line, want)
	}
	if want := "98,42 148,92"; got.Layers[0].Line != want {
		t.Errorf("layer line = %q, want %q", got.Layers[0].Line, want)
	}
	if want := []Tick{{112, "0"}, {62, "10"}, {12, "20"}}; !cmp.Equal(got.YTicks, want) {
		t.Errorf("YTicks = %v, want %v", got.YTicks, want)
	}
	if want := []Tick{{48, "Jan 1"}, {135.5, "Jan 8"}}; !cmp.Equal(got.XTicks, want) { // Mondays
		t.Errorf("XTicks = %v, want %v", got.XTicks, want)
	}
	checkInside(t, got)
}

func TestNewHLine(t *testing.T) {
	tests := []struct {
		name   string
		v      float64
		yticks []Tick
		want   []HLineGeom
	}{
		{"inside the data", 15, goldenYTicks, []HLineGeom{{Y: 62, Class: "goal", Label: "Goal", LabelY: 58}}},
		// 12..25 padded gives ticks 10, 20, 30: y = 112 - 5(v-10).
		{"above the data", 25, []Tick{{112, "10"}, {62, "20"}, {12, "30"}}, []HLineGeom{{Y: 37, Class: "goal", Label: "Goal", LabelY: 33}}},
		// 3..18 padded gives ticks 0, 10, 20: y = 112 - 5v.
		{"below the data", 3, []Tick{{112, "0"}, {62, "10"}, {12, "20"}}, []HLineGeom{{Y: 97, Class: "goal", Label: "Goal", LabelY: 93}}},
		// 19 sits at y 22, too near the top for a label above it.
		{"near the top", 19, goldenYTicks, []HLineGeom{{Y: 22, Class: "goal", Label: "Goal", LabelY: 36}}},
		{"not finite", math.NaN(), goldenYTicks, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			points, opts := golden()
			opts.HLines = []HLine{{V: tt.v, Class: "goal", Label: "Goal"}}
			got := New(points, opts)
			if diff := cmp.Diff(tt.yticks, got.YTicks); diff != "" {
				t.Errorf("YTicks mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got.HLines); diff != "" {
				t.Errorf("HLines mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewBands(t *testing.T) {
	points, opts := golden()
	opts.Bands = []Band{
		{From: 17, To: 25, Class: "maintain", Label: "Within 2.5 kg of the goal"}, // clipped at the top (20)
		{From: 15, To: math.Inf(-1), Class: "under", Label: "Under 15"},           // reversed, clipped at the bottom (10)
		{From: 30, To: 40, Class: "above", Label: "Off the chart"},                // wholly above: dropped
		{From: 20, To: 22, Class: "edge", Label: "Touches the top"},               // no height left: dropped
		{From: math.NaN(), To: 12, Class: "nan"},
		{From: 12.5, To: 13.54, Class: "thin"}, // rounded like every other coordinate
	}
	got := New(points, opts)
	want := []BandGeom{
		{Y: 12, H: 30, Class: "maintain", Label: "Within 2.5 kg of the goal"},
		{Y: 62, H: 50, Class: "under", Label: "Under 15"},
		{Y: 76.6, H: 10.4, Class: "thin"},
	}
	if diff := cmp.Diff(want, got.Bands); diff != "" {
		t.Errorf("Bands mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(goldenYTicks, got.YTicks); diff != "" {
		t.Errorf("bands widened the Y range (-want +got):\n%s", diff)
	}
}

func TestNewDotClassesSurviveDownsampling(t *testing.T) {
	points := series(date(2020, 1, 1), 5000, 7*time.Hour)
	points[1234].V = 120 // global maximum
	points[3210].V = 40  // global minimum
	for i := range points {
		points[i].Class = classOf(points[i].V)
	}
	slices.Reverse(points) // so that the classes must follow their points through the sort
	got := New(points, Options{Unit: "kg", MaxPoints: 300})
	if len(got.Dots) > 300 {
		t.Fatalf("got %d dots, want at most 300", len(got.Dots))
	}
	seen := map[string]bool{}
	for _, d := range got.Dots {
		v, err := strconv.ParseFloat(strings.TrimSuffix(d.Title[strings.Index(d.Title, "· ")+len("· "):], " kg"), 64)
		if err != nil {
			t.Fatal(err)
		}
		if want := classOf(v); d.Class != want {
			t.Errorf("dot %s has class %q, want %q", d.Title, d.Class, want)
		}
		seen[d.Class] = true
	}
	for _, c := range []string{"max", "min", "above", "below"} {
		if !seen[c] {
			t.Errorf("no dot of class %q", c)
		}
	}
}

func classOf(v float64) string {
	switch {
	case v == 120:
		return "max"
	case v == 40:
		return "min"
	case v >= 80:
		return "above"
	default:
		return "below"
	}
}

func TestNewDotClassesSmall(t *testing.T) {
	points, opts := golden()
	points[0].Class, points[2].Class = "a", "c" // Jan 5 and Jan 3
	opts.Series = []Series{{Points: []Point{{T: date(2024, 1, 3), V: 16, Class: "x"}}, Class: "marker", Dots: true}}
	got := New(points, opts)
	var classes []string
	for _, d := range got.Dots {
		classes = append(classes, d.Class)
	}
	if want := []string{"", "c", "a"}; !slices.Equal(classes, want) {
		t.Errorf("dot classes %q, want %q", classes, want)
	}
	if d := got.Layers[0].Dots[0]; d.Class != "x" {
		t.Errorf("layer dot class %q, want x", d.Class)
	}
}

func TestNewNoDots(t *testing.T) {
	points, opts := golden()
	opts.NoDots = true
	got := New(points, opts)
	if got.Dots != nil {
		t.Errorf("got %d dots, want none", len(got.Dots))
	}
	if want := "48,92 98,32 148,72"; got.Line != want {
		t.Errorf("Line = %q, want %q", got.Line, want)
	}
}

func TestNewLayersDownsample(t *testing.T) {
	points := series(date(2020, 1, 1), 5000, 7*time.Hour)
	trend := ewma(points)
	trend[2500].V = 95 // must widen the range and survive down-sampling
	got := New(points, Options{MaxPoints: 300, Series: []Series{{Points: trend, Class: "trend", Line: true, Dots: true}}})
	l := got.Layers[0]
	if n := len(strings.Fields(l.Line)); n > 300 || n != len(l.Dots) {
		t.Errorf("layer has %d line points and %d dots, want as many, at most 300", n, len(l.Dots))
	}
	if top := slices.MinFunc(l.Dots, func(a, b Dot) int { return cmpFloat(a.Y, b.Y) }); !strings.HasSuffix(top.Title, "· 95.0") {
		t.Errorf("highest layer dot is %q, want the 95.0 peak", top.Title)
	}
	top := got.YTicks[len(got.YTicks)-1]
	if v, err := strconv.ParseFloat(top.Label, 64); err != nil || v < 95 {
		t.Errorf("top tick %v is below the layer's peak", top)
	}
	checkInside(t, got)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ewma is the Hacker's Diet trend of points, rounded like a stored value.
func ewma(points []Point) []Point {
	out := make([]Point, len(points))
	tr := points[0].V
	for i, p := range points {
		tr += 0.1 * (p.V - tr)
		out[i] = Point{T: p.T, V: math.Round(tr*10) / 10}
	}
	return out
}

func BenchmarkNewWithTrend5000(b *testing.B) {
	points := floaters(series(date(2020, 1, 1), 5000, 7*time.Hour))
	opts := Options{
		Title: "Weight (kg)", Unit: "kg",
		Series: []Series{{Points: ewma(points), Class: "trend", Line: true}},
		HLines: []HLine{{V: 75, Class: "goal", Label: "Goal 75 kg"}},
		Bands:  []Band{{From: 72.5, To: 77.5, Class: "maintain", Label: "Within 2.5 kg of the goal"}},
	}
	b.ReportAllocs()
	for b.Loop() {
		New(points, opts)
	}
}

// floaters classes each point "above" or "below" its trend, as the Hacker's Diet draws them.
func floaters(points []Point) []Point {
	for i, tr := range ewma(points) {
		points[i].Class = "below"
		if points[i].V > tr.V {
			points[i].Class = "above"
		}
	}
	return points
}
