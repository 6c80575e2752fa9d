// Package chart computes the geometry of server-rendered SVG charts: scales, nice ticks and down-sampling.
package chart

import (
	"math"
	"strconv"
	"time"
)

// Point is one value at one time.
type Point struct {
	T     time.Time
	V     float64
	Class string // CSS class of its dot, e.g. "above" or "below" the trend; it travels with the point
}

// Options configures New. The zero value gives a 720 x 260 chart.
type Options struct {
	Width, Height float64              // viewBox size; defaults 720 x 260
	Title         string               // accessible name, e.g. "Weight (kg)"
	Desc          string               // text for screen readers; generated from the data when empty
	Unit          string               // e.g. "kg", "%", "" (BMI)
	Format        func(float64) string // value labels; default one decimal
	MaxPoints     int                  // down-sampling cap per layer; default 1000
	Compact       bool                 // fewer ticks, for dashboard cards
	NoDots        bool                 // draw the main points as a line only (Chart.Dots stays nil)

	// The layers below share the main points' scales. Series and HLines widen the Y range to include them,
	// and Series the X range too; Bands never widen it and are clipped to the plot instead.
	Series []Series
	HLines []HLine
	Bands  []Band
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
	Class string // its Point's Class
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
	Empty                      bool        // no main points: the template shows "No measurements yet"
	Layers                     []Layer     // one per Options.Series, in order
	HLines                     []HLineGeom // one per finite Options.HLines value
	Bands                      []BandGeom  // the Options.Bands that overlap the plot, clipped to it
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

// New lays out points (in any order; NaN and ±Inf values are dropped) as a line chart, with the layers
// of opts drawn over the same axes. A chart without finite main points is Empty, whatever its layers.
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
	t0, t1 := pts[0].T, pts[len(pts)-1].T

	layers := make([][]Point, len(o.Series))
	for i, s := range o.Series {
		sp := clean(s.Points)
		if len(sp) == 0 {
			continue
		}
		l, h := valueRange(sp)
		lo, hi = min(lo, l), max(hi, h)
		if sp[0].T.Before(t0) {
			t0 = sp[0].T
		}
		if sp[len(sp)-1].T.After(t1) {
			t1 = sp[len(sp)-1].T
		}
		layers[i] = Downsample(sp, o.MaxPoints)
	}
	for _, h := range o.HLines {
		if finite(h.V) {
			lo, hi = min(lo, h.V), max(hi, h.V)
		}
	}

	nx, ny := max(2, min(8, int(c.PlotW/100))), 5
	if o.Compact {
		nx, ny = 3, 3
	}

	s := scales{plotX: c.PlotX, plotY: c.PlotY, plotW: c.PlotW, plotH: c.PlotH, ylo: lo, yhi: hi}
	yticks := yTicks(lo, hi, ny)
	if len(yticks) >= 2 {
		s.ylo, s.yhi = yticks[0], yticks[len(yticks)-1]
	}
	if o.Compact && len(yticks) >= 5 && len(yticks)%2 == 1 {
		// Keep the tight scale but label every other tick: a card has no room for five labels.
		yticks = thin(yticks)
	}
	if s.yhi == s.ylo { // only reachable when NiceTicks gave up on an overflowing range
		s.ylo, s.yhi = s.ylo-1, s.yhi+1
	}
	if !t1.After(t0) { // a single instant: centre it in a two-day window
		t0, t1 = t0.AddDate(0, 0, -1), t1.AddDate(0, 0, 1)
	}
	s.t0, s.span = t0, float64(t1.Sub(t0))

	c.Line, c.Dots = s.plot(pts, o, true, !o.NoDots)
	c.Layers = s.layers(o, layers)
	c.HLines = s.hlines(o.HLines)
	c.Bands = s.bands(o.Bands)

	tickLabel := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	if o.custom {
		tickLabel = o.Format
	}
	for _, v := range yticks {
		c.YTicks = append(c.YTicks, Tick{Pos: s.y(v), Label: tickLabel(v)})
	}
	layout := xLayout(t1.Sub(t0))
	for _, t := range TimeTicks(t0, t1, nx) {
		c.XTicks = append(c.XTicks, Tick{Pos: s.x(t), Label: t.Format(layout)})
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
