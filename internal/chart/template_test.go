package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"strings"
	"testing"
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
	c := New([]Point{{date(2024, 1, 1), 12}, {date(2024, 1, 3), 18}, {date(2024, 1, 5), 14}}, opts)
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
