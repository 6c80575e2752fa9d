// Package chart computes the geometry of server-rendered SVG charts: scales, nice ticks and down-sampling.
package chart

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// Point is one value at one time.
type Point struct {
	T time.Time
	V float64
}

// Options configures New. The zero value gives a 720 x 260 chart.
type Options struct {
	Width, Height float64              // viewBox size; defaults 720 x 260
	Title         string               // accessible name, e.g. "Weight (kg)"
	Desc          string               // text for screen readers; generated from the data when empty
	Unit          string               // e.g. "kg", "%", "" (BMI)
	Format        func(float64) string // value labels; default one decimal
	MaxPoints     int                  // down-sampling cap; default 1000
	Compact       bool                 // fewer ticks, for dashboard cards
}

// Tick is one labelled position on an axis.
type Tick struct {
	Pos   float64 // x (for XTicks) or y (for YTicks) in viewBox units
	Label string
}

// Dot is one plotted point with its tooltip.
type Dot struct {
	X, Y  float64
	Title string // tooltip "2024-03-01 · 82.4 kg"
}

// Chart is everything the "chart" template needs. Every coordinate is rounded to one decimal so that the
// template, which cannot format numbers, prints them short.
type Chart struct {
	Width, Height              float64
	Title, Desc                string
	PlotX, PlotY, PlotW, PlotH float64 // the plot area inside the axes
	Line                       string  // SVG polyline points "x,y x,y ..."
	Dots                       []Dot
	XTicks                     []Tick
	YTicks                     []Tick
	Empty                      bool // no points: the template shows "No measurements yet"
}

const (
	defaultWidth     = 720
	defaultHeight    = 260
	defaultMaxPoints = 1000

	// The margins hold the labels: Y labels end 6 units left of the plot, X labels are centred on their tick,
	// so the right margin holds half of a "Jan 2024" label at the stylesheet's 12px.
	marginLeft   = 48
	marginRight  = 28
	marginTop    = 12
	marginBottom = 24
)

// New lays out points (in any order; NaN and ±Inf values are dropped) as a line chart.
func New(points []Point, opts Options) Chart {
	o := withDefaults(opts)
	c := Chart{
		Width:  round1(o.Width),
		Height: round1(o.Height),
		Title:  o.Title,
		Desc:   o.Desc,
		PlotX:  marginLeft,
		PlotY:  marginTop,
	}
	c.PlotW = max(round1(c.Width-marginLeft-marginRight), 1)
	c.PlotH = max(round1(c.Height-marginTop-marginBottom), 1)

	pts := clean(points)
	if len(pts) == 0 {
		c.Empty = true
		if c.Desc == "" {
			c.Desc = "No measurements yet."
		}
		return c
	}
	lo, hi := valueRange(pts)
	if c.Desc == "" {
		c.Desc = describe(pts, lo, hi, o)
	}
	pts = Downsample(pts, o.MaxPoints)

	nx, ny := max(2, min(8, int(c.PlotW/100))), 5
	if o.Compact {
		nx, ny = 3, 3
	}

	ylo, yhi := lo, hi
	yticks := yTicks(lo, hi, ny)
	if len(yticks) >= 2 {
		ylo, yhi = yticks[0], yticks[len(yticks)-1]
	}
	if o.Compact && len(yticks) >= 5 && len(yticks)%2 == 1 {
		// Keep the tight scale but label every other tick: a card has no room for five labels.
		yticks = thin(yticks)
	}
	if yhi == ylo { // only reachable when NiceTicks gave up on an overflowing range
		ylo, yhi = ylo-1, yhi+1
	}
	y := func(v float64) float64 {
		return round1(c.PlotY + c.PlotH - (v-ylo)/(yhi-ylo)*c.PlotH)
	}

	t0, t1 := pts[0].T, pts[len(pts)-1].T
	if !t1.After(t0) { // a single instant: centre it in a two-day window
		t0, t1 = t0.AddDate(0, 0, -1), t1.AddDate(0, 0, 1)
	}
	span := float64(t1.Sub(t0))
	x := func(t time.Time) float64 {
		return round1(c.PlotX + float64(t.Sub(t0))/span*c.PlotW)
	}

	c.Dots = make([]Dot, len(pts))
	line := make([]byte, 0, len(pts)*12)
	var title []byte
	for i, p := range pts {
		title = p.T.AppendFormat(title[:0], time.DateOnly)
		title = o.appendValue(append(title, " · "...), p.V)
		d := Dot{X: x(p.T), Y: y(p.V), Title: string(title)}
		c.Dots[i] = d
		if i > 0 {
			line = append(line, ' ')
		}
		line = strconv.AppendFloat(line, d.X, 'f', -1, 64)
		line = append(line, ',')
		line = strconv.AppendFloat(line, d.Y, 'f', -1, 64)
	}
	c.Line = string(line)

	tickLabel := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	if o.custom {
		tickLabel = o.Format
	}
	for _, v := range yticks {
		c.YTicks = append(c.YTicks, Tick{Pos: y(v), Label: tickLabel(v)})
	}
	layout := xLayout(t1.Sub(t0))
	for _, t := range TimeTicks(t0, t1, nx) {
		c.XTicks = append(c.XTicks, Tick{Pos: x(t), Label: t.Format(layout)})
	}
	return c
}

// options is Options with defaults applied and a note of whether Format came from the caller.
type options struct {
	Options
	custom bool
}

func withDefaults(o Options) options {
	if o.Width <= 0 {
		o.Width = defaultWidth
	}
	if o.Height <= 0 {
		o.Height = defaultHeight
	}
	if o.MaxPoints <= 0 {
		o.MaxPoints = defaultMaxPoints
	}
	custom := o.Format != nil
	if !custom {
		o.Format = func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	}
	return options{Options: o, custom: custom}
}

// clean returns a time-sorted copy of points without NaN or infinite values.
func clean(points []Point) []Point {
	out := make([]Point, 0, len(points))
	for _, p := range points {
		if !math.IsNaN(p.V) && !math.IsInf(p.V, 0) {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, byTime)
	return out
}

func byTime(a, b Point) int { return a.T.Compare(b.T) }

func valueRange(pts []Point) (lo, hi float64) {
	lo, hi = pts[0].V, pts[0].V
	for _, p := range pts[1:] {
		lo, hi = min(lo, p.V), max(hi, p.V)
	}
	return lo, hi
}

// yTicks pads the data range so the line does not run along the plot's edge, and keeps a flat series from
// collapsing to zero height: the range is at least 2% of the values' magnitude.
func yTicks(lo, hi float64, n int) []float64 {
	mid := lo/2 + hi/2
	if minSpan := math.Abs(mid) * 0.02; hi-lo < minSpan {
		lo, hi = mid-minSpan/2, mid+minSpan/2
	}
	pad := (hi - lo) * 0.05
	return NiceTicks(lo-pad, hi+pad, n)
}

// thin keeps every other value, starting with the first.
func thin(vs []float64) []float64 {
	out := make([]float64, 0, len(vs)/2+1)
	for i := 0; i < len(vs); i += 2 {
		out = append(out, vs[i])
	}
	return out
}

// xLayout picks the X label format from the span, so that neighbouring labels never read the same.
func xLayout(span time.Duration) string {
	switch {
	case span < dayRegime:
		return "Jan 2"
	case span <= monthRegime:
		return "Jan 2006"
	default:
		return "2006"
	}
}

func describe(pts []Point, lo, hi float64, o options) string {
	first, last := pts[0].T.Format(time.DateOnly), pts[len(pts)-1].T.Format(time.DateOnly)
	if len(pts) == 1 {
		return "1 weigh-in on " + first + ": " + string(o.appendValue(nil, lo))
	}
	b := strconv.AppendInt(nil, int64(len(pts)), 10)
	b = append(b, " weigh-ins from "+first+" to "+last+", between "+o.Format(lo)+" and "...)
	return string(o.appendValue(b, hi))
}

// appendValue writes v with Format and the unit: "82.4 kg", but "24.1%" as percentages are usually written.
// The default format is inlined because a title per dot is most of New's allocations.
func (o options) appendValue(b []byte, v float64) []byte {
	if o.custom {
		b = append(b, o.Format(v)...)
	} else {
		b = strconv.AppendFloat(b, v, 'f', 1, 64)
	}
	switch o.Unit {
	case "":
		return b
	case "%":
		return append(b, '%')
	default:
		return append(append(b, ' '), o.Unit...)
	}
}

func round1(v float64) float64 {
	r := math.Round(v*10) / 10
	if r == 0 {
		return 0 // no "-0" in the markup
	}
	return r
}
