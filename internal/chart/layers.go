package chart

import (
	"math"
	"strconv"
	"time"
)

// Series is one more layer drawn over the main points' axes, such as the trend line.
type Series struct {
	Points []Point
	Class  string // CSS class of its line and dots, e.g. "trend"
	Line   bool   // draw a polyline through the points
	Dots   bool   // draw a dot per point, with a tooltip
}

// HLine is a horizontal reference line at value V, such as the goal.
type HLine struct {
	V            float64
	Class, Label string // Label is drawn above the line, at the plot's left edge
}

// Band is a horizontal band between two values, such as a BMI category or the goal's maintenance band.
// From and To may come in either order and may be infinite ("obese: BMI 30 and over").
type Band struct {
	From, To     float64
	Class, Label string // Label becomes the band's tooltip, e.g. "Healthy weight: BMI 18.5–25"
}

// Layer is a Series laid out: the template draws its line as "chart-layer <Class>" and its dots as
// "chart-dot <Class> <Dot.Class>".
type Layer struct {
	Class string
	Line  string // polyline points "x,y x,y ..."; empty when the series has no line or no finite points
	Dots  []Dot  // nil when the series has no dots
}

// HLineGeom is an HLine laid out across the plot.
type HLineGeom struct {
	Y            float64
	Class, Label string
	LabelY       float64 // baseline of the label: above the line, or below it when the line is near the top
}

// BandGeom is a Band clipped to the plot: a rectangle from Y down to Y+H across the plot's width.
type BandGeom struct {
	Y, H         float64
	Class, Label string
}

// scales maps times and values to viewBox units, rounded to one decimal.
type scales struct {
	t0                         time.Time
	span                       float64 // nanoseconds from t0 to the right edge; positive
	ylo, yhi                   float64 // values at the bottom and top edges; ylo < yhi
	plotX, plotY, plotW, plotH float64
}

func (s scales) x(t time.Time) float64 {
	return round1(s.plotX + float64(t.Sub(s.t0))/s.span*s.plotW)
}

func (s scales) y(v float64) float64 {
	return round1(s.plotY + s.plotH - (v-s.ylo)/(s.yhi-s.ylo)*s.plotH)
}

// plot returns the polyline points through pts (when line is set) and a dot per point (when dots is set).
func (s scales) plot(pts []Point, o options, line, dots bool) (string, []Dot) {
	var ds []Dot
	if dots && len(pts) > 0 {
		ds = make([]Dot, len(pts))
	}
	var b, title []byte
	if line {
		b = make([]byte, 0, len(pts)*12)
	}
	for i, p := range pts {
		x, y := s.x(p.T), s.y(p.V)
		if ds != nil {
			title = p.T.AppendFormat(title[:0], time.DateOnly)
			title = o.appendValue(append(title, " · "...), p.V)
			ds[i] = Dot{X: x, Y: y, Title: string(title), Class: p.Class}
		}
		if line {
			if i > 0 {
				b = append(b, ' ')
			}
			b = strconv.AppendFloat(b, x, 'f', -1, 64)
			b = append(b, ',')
			b = strconv.AppendFloat(b, y, 'f', -1, 64)
		}
	}
	return string(b), ds
}

// layers lays out each series from its cleaned, down-sampled points.
func (s scales) layers(o options, points [][]Point) []Layer {
	if len(o.Series) == 0 {
		return nil
	}
	out := make([]Layer, len(o.Series))
	for i, sr := range o.Series {
		out[i].Class = sr.Class
		out[i].Line, out[i].Dots = s.plot(points[i], o, sr.Line, sr.Dots)
	}
	return out
}

const (
	labelAscent = 10 // about the height of a 12px label above its baseline
	labelGap    = 4  // between a line and its label
)

func (s scales) hlines(hs []HLine) []HLineGeom {
	var out []HLineGeom
	for _, h := range hs {
		if !finite(h.V) {
			continue
		}
		y := s.y(h.V)
		labelY := y - labelGap
		if labelY-labelAscent < s.plotY {
			labelY = y + labelGap + labelAscent
		}
		out = append(out, HLineGeom{Y: y, Class: h.Class, Label: h.Label, LabelY: round1(labelY)})
	}
	return out
}

func (s scales) bands(bs []Band) []BandGeom {
	var out []BandGeom
	for _, b := range bs {
		if math.IsNaN(b.From) || math.IsNaN(b.To) {
			continue
		}
		top, bottom := min(max(b.From, b.To), s.yhi), max(min(b.From, b.To), s.ylo)
		if top <= bottom {
			continue
		}
		y := s.y(top)
		if h := round1(s.y(bottom) - y); h > 0 {
			out = append(out, BandGeom{Y: y, H: h, Class: b.Class, Label: b.Label})
		}
	}
	return out
}
