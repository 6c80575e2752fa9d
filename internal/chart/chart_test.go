package chart

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// plot100 gives a 100 x 100 plot area, so positions can be checked by hand.
var plot100 = Options{Width: 100 + marginLeft + marginRight, Height: 100 + marginTop + marginBottom}

func TestNewGolden(t *testing.T) {
	opts := plot100
	opts.Title, opts.Unit, opts.Compact = "Weight (kg)", "kg", true
	points := []Point{ // out of order, with a NaN that must be dropped
		{T: date(2024, 1, 5), V: 14},
		{T: date(2024, 1, 2), V: math.NaN()},
		{T: date(2024, 1, 1), V: 12},
		{T: date(2024, 1, 3), V: 18},
	}
	got := New(points, opts)
	// Y: 12..18 padded by 5% is 11.7..18.3; three nice ticks 10, 15, 20 map onto 112..12.
	// X: Jan 1..Jan 5 maps onto 48..148, every other day is a tick.
	want := Chart{
		Width: 176, Height: 136,
		Title: "Weight (kg)",
		Desc:  "3 weigh-ins from 2024-01-01 to 2024-01-05, between 12.0 and 18.0 kg",
		PlotX: 48, PlotY: 12, PlotW: 100, PlotH: 100,
		Line: "48,92 98,32 148,72",
		Dots: []Dot{
			{X: 48, Y: 92, Title: "2024-01-01 · 12.0 kg"},
			{X: 98, Y: 32, Title: "2024-01-03 · 18.0 kg"},
			{X: 148, Y: 72, Title: "2024-01-05 · 14.0 kg"},
		},
		XTicks: []Tick{{48, "Jan 1"}, {98, "Jan 3"}, {148, "Jan 5"}},
		YTicks: []Tick{{112, "10"}, {62, "15"}, {12, "20"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("New() mismatch (-want +got):\n%s", diff)
	}
}

func TestNewFiveYTicks(t *testing.T) {
	got := New([]Point{{T: date(2024, 1, 1), V: 12}, {T: date(2024, 1, 3), V: 18}}, plot100)
	want := []Tick{{112, "10"}, {87, "12.5"}, {62, "15"}, {37, "17.5"}, {12, "20"}}
	if diff := cmp.Diff(want, got.YTicks); diff != "" {
		t.Errorf("YTicks mismatch (-want +got):\n%s", diff)
	}
}

func TestNewCompactThinsYTicks(t *testing.T) {
	points := []Point{{T: date(2024, 1, 1), V: 79.3}, {T: date(2024, 1, 3), V: 82.5}}
	// 79.3..82.5 padded is best served by 79, 80, 81, 82, 83; a card labels every other one of them.
	got := New(points, Options{Compact: true, Width: 360, Height: 140})
	var labels []string
	for _, tk := range got.YTicks {
		labels = append(labels, tk.Label)
	}
	if want := []string{"79", "81", "83"}; !cmp.Equal(labels, want) {
		t.Errorf("labels %v, want %v", labels, want)
	}
	if top, bottom := got.YTicks[2].Pos, got.YTicks[0].Pos; top != got.PlotY || bottom != got.PlotY+got.PlotH {
		t.Errorf("ticks run %v..%v, want the full plot %v..%v", top, bottom, got.PlotY, got.PlotY+got.PlotH)
	}
}

func TestNewEmpty(t *testing.T) {
	for name, points := range map[string][]Point{
		"nil":     nil,
		"all NaN": {{T: date(2024, 1, 1), V: math.NaN()}, {T: date(2024, 1, 2), V: math.Inf(1)}},
	} {
		t.Run(name, func(t *testing.T) {
			got := New(points, Options{Title: "BMI"})
			if !got.Empty {
				t.Fatalf("Empty = false, want true")
			}
			if got.Width != 720 || got.Height != 260 {
				t.Errorf("size %vx%v, want 720x260", got.Width, got.Height)
			}
			if got.Line != "" || len(got.Dots) != 0 || len(got.XTicks) != 0 || len(got.YTicks) != 0 {
				t.Errorf("empty chart has geometry: %+v", got)
			}
			if got.Desc == "" {
				t.Errorf("Desc is empty")
			}
		})
	}
}

func TestNewSinglePoint(t *testing.T) {
	got := New([]Point{{T: time.Date(2024, 3, 1, 7, 30, 0, 0, time.UTC), V: 82.4}}, Options{Unit: "kg"})
	if len(got.Dots) != 1 {
		t.Fatalf("got %d dots, want 1", len(got.Dots))
	}
	d := got.Dots[0]
	if want := round1(got.PlotX + got.PlotW/2); d.X != want {
		t.Errorf("dot x = %v, want the middle %v", d.X, want)
	}
	checkInside(t, got)
	if want := fmt.Sprintf("%v,%v", d.X, d.Y); got.Line != want {
		t.Errorf("Line = %q, want %q", got.Line, want)
	}
	if want := "1 weigh-in on 2024-03-01: 82.4 kg"; got.Desc != want {
		t.Errorf("Desc = %q, want %q", got.Desc, want)
	}
	if len(got.XTicks) == 0 || len(got.YTicks) < 2 {
		t.Errorf("got %d x ticks and %d y ticks, want some", len(got.XTicks), len(got.YTicks))
	}
}

func TestNewFlat(t *testing.T) {
	for _, v := range []float64{80, 0, -3} {
		var points []Point
		for i := range 20 {
			points = append(points, Point{T: date(2024, 1, 1).AddDate(0, 0, i), V: v})
		}
		got := New(points, Options{})
		checkInside(t, got)
		first, last := got.YTicks[0], got.YTicks[len(got.YTicks)-1]
		if first.Pos == last.Pos {
			t.Errorf("v=%v: y axis has zero height: %v", v, got.YTicks)
		}
		for _, d := range got.Dots {
			if d.Y != got.Dots[0].Y {
				t.Fatalf("v=%v: dots at different heights %v and %v", v, d.Y, got.Dots[0].Y)
			}
		}
	}
}

func TestNewUnitsAndFormat(t *testing.T) {
	points := []Point{{T: date(2024, 1, 1), V: 24.13}, {T: date(2024, 1, 8), V: 23.9}}
	got := New(points, Options{Unit: "%"})
	if want := "2024-01-01 · 24.1%"; got.Dots[0].Title != want {
		t.Errorf("title = %q, want %q", got.Dots[0].Title, want)
	}
	if want := "2 weigh-ins from 2024-01-01 to 2024-01-08, between 23.9 and 24.1%"; got.Desc != want {
		t.Errorf("Desc = %q, want %q", got.Desc, want)
	}

	two := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	got = New(points, Options{Format: two, Desc: "given"})
	if want := "2024-01-01 · 24.13"; got.Dots[0].Title != want {
		t.Errorf("BMI title = %q, want %q", got.Dots[0].Title, want)
	}
	if got.Desc != "given" {
		t.Errorf("Desc = %q, want the one given", got.Desc)
	}
	for _, tk := range got.YTicks {
		if !strings.Contains(tk.Label, ".") || len(tk.Label)-strings.Index(tk.Label, ".") != 3 {
			t.Errorf("tick label %q does not use the caller's Format", tk.Label)
		}
	}
}

func TestNewXLabels(t *testing.T) {
	tests := []struct {
		days int
		want string
	}{
		{10, `^[A-Z][a-z]{2} \d{1,2}$`},
		{90, `^[A-Z][a-z]{2} \d{4}$`},
		{600, `^[A-Z][a-z]{2} \d{4}$`},
		{5 * 365, `^\d{4}$`},
	}
	for _, tt := range tests {
		start := time.Date(2021, 5, 17, 8, 0, 0, 0, time.UTC)
		got := New(series(start, tt.days+1, 24*time.Hour), Options{})
		if len(got.XTicks) < 2 {
			t.Errorf("%d days: got ticks %v, want at least 2", tt.days, got.XTicks)
		}
		seen := map[string]bool{}
		for _, tk := range got.XTicks {
			if !regexp.MustCompile(tt.want).MatchString(tk.Label) {
				t.Errorf("%d days: label %q does not match %s", tt.days, tk.Label, tt.want)
			}
			if seen[tk.Label] {
				t.Errorf("%d days: label %q repeats", tt.days, tk.Label)
			}
			seen[tk.Label] = true
		}
	}
}

func TestNewDownsamples(t *testing.T) {
	points := series(date(2020, 1, 1), 5000, 7*time.Hour)
	got := New(points, Options{MaxPoints: 300})
	if len(got.Dots) > 300 || len(got.Dots) < 100 {
		t.Fatalf("got %d dots, want 100..300", len(got.Dots))
	}
	checkInside(t, got)
	var pairs []string
	for _, d := range got.Dots {
		pairs = append(pairs, fmt.Sprintf("%v,%v", d.X, d.Y))
	}
	if want := strings.Join(pairs, " "); got.Line != want {
		t.Errorf("Line and Dots disagree")
	}
	if !strings.Contains(got.Desc, "5000 weigh-ins") {
		t.Errorf("Desc = %q, want it to count every point", got.Desc)
	}
}

// checkInside checks that every coordinate has at most one decimal and every dot and tick lies in the plot.
func checkInside(t *testing.T, c Chart) {
	t.Helper()
	inX := func(x float64) bool { return x >= c.PlotX && x <= c.PlotX+c.PlotW }
	inY := func(y float64) bool { return y >= c.PlotY && y <= c.PlotY+c.PlotH }
	oneDecimal := func(v float64) bool { return v*10 == math.Round(v*10) }
	for _, d := range c.Dots {
		if !inX(d.X) || !inY(d.Y) || !oneDecimal(d.X) || !oneDecimal(d.Y) {
			t.Errorf("dot (%v, %v) outside plot %v,%v %vx%v or not rounded", d.X, d.Y, c.PlotX, c.PlotY, c.PlotW, c.PlotH)
		}
	}
	for _, tk := range c.XTicks {
		if !inX(tk.Pos) || !oneDecimal(tk.Pos) {
			t.Errorf("x tick %v outside plot or not rounded", tk)
		}
	}
	for _, tk := range c.YTicks {
		if !inY(tk.Pos) || !oneDecimal(tk.Pos) {
			t.Errorf("y tick %v outside plot or not rounded", tk)
		}
	}
}

// series is a deterministic wavy weight history of n points, step apart.
func series(start time.Time, n int, step time.Duration) []Point {
	points := make([]Point, n)
	for i := range points {
		v := 80 + 6*math.Sin(float64(i)/300) + 0.8*math.Sin(float64(i)*1.7)
		points[i] = Point{T: start.Add(time.Duration(i) * step), V: math.Round(v*10) / 10}
	}
	return points
}

func BenchmarkNew5000(b *testing.B) {
	points := series(date(2020, 1, 1), 5000, 7*time.Hour)
	opts := Options{Title: "Weight (kg)", Unit: "kg"}
	b.ReportAllocs()
	for b.Loop() {
		New(points, opts)
	}
}
