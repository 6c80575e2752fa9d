package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"strings"
	"testing"
	"time"
)

func renderChart(t *testing.T, c Chart) string {
	t.Helper()
	tmpl, err := template.ParseFiles("../../web/templates/chart.html")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "chart", c); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTemplate(t *testing.T) {
	opts := plot100
	opts.Title, opts.Unit = `Weight <kg> & "more"`, "kg"
	c := New([]Point{{T: date(2024, 1, 1), V: 12}, {T: date(2024, 1, 3), V: 18}, {T: date(2024, 1, 5), V: 14}}, opts)
	out := renderChart(t, c)
	for _, want := range []string{
		`viewBox="0 0 176 136"`,
		`role="img"`,
		`<polyline class="chart-line" fill="none" points="48,92 98,32 148,72"/>`,
		`<circle class="chart-dot" cx="98" cy="32" r="2.5"><title>2024-01-03 · 18.0 kg</title></circle>`,
		`<title>Weight &lt;kg&gt; &amp; &#34;more&#34;</title>`,
		`d="M48,87h100"`, // the 12.5 gridline
		`>12.5</text>`,
		`>Jan 1</text>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s\n%s", want, out)
		}
	}
	if strings.Contains(out, "style=") || strings.Contains(out, "<script") {
		t.Errorf("output has inline style or script:\n%s", out)
	}
	checkXML(t, out)
}

func TestTemplateEmpty(t *testing.T) {
	out := renderChart(t, New(nil, Options{Title: "BMI"}))
	for _, want := range []string{`<text class="chart-empty"`, "No measurements yet</text>", `aria-label="BMI"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s\n%s", want, out)
		}
	}
	if strings.Contains(out, "<polyline") || strings.Contains(out, "<circle") {
		t.Errorf("empty chart draws a line or dots:\n%s", out)
	}
	checkXML(t, out)
}

// checkXML decodes out strictly and checks that it is a single svg element.
func checkXML(t *testing.T, out string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(out))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if el.Name.Local != "svg" {
					t.Errorf("root element %q, want svg", el.Name.Local)
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		t.Errorf("got %d root elements, want 1", roots)
	}
}

func TestTemplateLayers(t *testing.T) {
	points, opts := golden()
	opts.Series = []Series{
		{Points: []Point{{T: date(2024, 1, 1), V: 12}, {T: date(2024, 1, 3), V: 12.6}, {T: date(2024, 1, 5), V: 12.74}}, Class: "trend", Line: true},
		{Points: []Point{{T: date(2024, 1, 3), V: 16}}, Class: "marker", Dots: true},
	}
	opts.HLines = []HLine{{V: 15, Class: "goal", Label: "Goal <15> kg"}}
	opts.Bands = []Band{
		{From: 17, To: 25, Class: "maintain", Label: "Healthy weight: BMI 18.5–25"},
		{From: 10, To: 12},
	}
	points[0].Class, points[2].Class = "below", "above" // Jan 5 and Jan 3
	opts.Series[1].Points[0].Class = "peak"
	out := renderChart(t, New(points, opts))
	checkXML(t, out)
	// In paint order: bands, grid, main line and dots, layers, reference lines, labels.
	order := []string{
		`<rect class="chart-band maintain" x="48" y="12" width="100" height="30"><title>Healthy weight: BMI 18.5–25</title></rect>`,
		`<rect class="chart-band" x="48" y="92" width="100" height="20"></rect>`,
		`<path class="chart-grid" fill="none" d="M48,62h100"/>`,
		`<polyline class="chart-line" fill="none" points="48,92 98,32 148,72"/>`,
		`<circle class="chart-dot" cx="48" cy="92" r="2.5"><title>2024-01-01 · 12.0 kg</title></circle>`,
		`<circle class="chart-dot above" cx="98" cy="32" r="2.5"><title>2024-01-03 · 18.0 kg</title></circle>`,
		`<circle class="chart-dot below" cx="148" cy="72" r="2.5"><title>2024-01-05 · 14.0 kg</title></circle>`,
		`<polyline class="chart-layer trend" fill="none" points="48,92 98,86 148,84.6"/>`,
		`<circle class="chart-dot marker peak" cx="98" cy="52" r="2.5"><title>2024-01-03 · 16.0 kg</title></circle>`,
		`<path class="chart-hline goal" fill="none" d="M48,62h100"/>`,
		`>15</text>`,
		`<text class="chart-label chart-hline-label" x="48" y="58" dx="4">Goal &lt;15&gt; kg</text>`,
	}
	at := 0
	for _, want := range order {
		i := strings.Index(out[at:], want)
		if i < 0 {
			t.Fatalf("output lacks %s after offset %d\n%s", want, at, out)
		}
		at += i + len(want)
	}
	if strings.Contains(out, "style=") || strings.Contains(out, "<script") {
		t.Errorf("output has inline style or script:\n%s", out)
	}
}

func TestTemplateNoDots(t *testing.T) {
	points, opts := golden()
	opts.NoDots = true
	out := renderChart(t, New(points, opts))
	checkXML(t, out)
	if strings.Contains(out, "<circle") || !strings.Contains(out, `<polyline class="chart-line"`) {
		t.Errorf("want a line without dots:\n%s", out)
	}
}

// TestTemplateTenYears keeps the heaviest chart, ten years of daily weigh-ins with floaters and sinkers,
// the trend, a goal and its band, within its share of a 150 KB page. Each dot costs about 107 bytes, so
// such a chart needs MaxPoints near 500: the default 1000 makes it 132 KB.
func TestTemplateTenYears(t *testing.T) {
	points := floaters(series(date(2016, 1, 1), 3653, 24*time.Hour))
	c := New(points, Options{
		Title: "Weight (kg)", Unit: "kg", MaxPoints: 500,
		Series: []Series{{Points: ewma(points), Class: "trend", Line: true}},
		HLines: []HLine{{V: 75, Class: "goal", Label: "Goal 75 kg"}},
		Bands:  []Band{{From: 72.5, To: 77.5, Class: "maintain", Label: "Within 2.5 kg of the goal"}},
	})
	out := renderChart(t, c)
	checkXML(t, out)
	const budget = 80 << 10
	if len(out) > budget {
		t.Errorf("chart is %d bytes, want at most %d", len(out), budget)
	}
	if len(c.Dots) != 500 || len(c.Layers[0].Line) == 0 {
		t.Errorf("got %d dots and a trend of %d bytes, want 500 dots and a trend", len(c.Dots), len(c.Layers[0].Line))
	}
}
