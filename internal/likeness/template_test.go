package likeness

import (
	"bytes"
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	tmpl, err := template.ParseFiles("../../web/templates/likeness.html")
	if err != nil {
		t.Fatal(err)
	}
	then, now := Input{BMI: 28.1}, Input{BMI: 26.3, FatPct: 27, HasFat: true}
	p := Pair{
		Then: Draw(then), Now: Draw(now),
		ThenLabel: `Then <2025-11-24> & "x"`, NowLabel: "Now",
	}
	p.Text = Compare(then, now, p.ThenLabel, p.NowLabel)
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "likeness", p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<figure class="likeness">`,
		`viewBox="0 0 120 240"`,
		`d="` + p.Then.Body + `"`,
		`d="` + p.Now.Body + `"`,
		`<circle class="likeness-head likeness-outline" cx="60" cy="22" r="14"/>`,
		`aria-label="Then &lt;2025-11-24&gt; &amp; &#34;x&#34;: Figure at BMI 28.1: broader waist than at BMI 22."`,
		`aria-label="Now: Figure at BMI 26.3, body fat 27%: broader waist than at BMI 22."`,
		`<figcaption>`,
		`<p class="visually-hidden">Then &lt;2025-11-24&gt; &amp; &#34;x&#34;: BMI 28.1. Now: BMI 26.3, body fat 27%, a slimmer waist.</p>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s\n%s", want, out)
		}
	}
	if n := strings.Count(out, `role="img"`); n != 2 {
		t.Errorf("got %d role=img, want 2", n)
	}
	if n := strings.Count(out, `class="likeness-body likeness-outline"`); n != 2 {
		t.Errorf("got %d bodies, want 2", n)
	}
	if strings.Contains(out, "style=") || strings.Contains(out, "<script") {
		t.Errorf("output has inline style or script:\n%s", out)
	}
	checkXML(t, out)
}

// checkXML decodes out strictly and checks that it is one figure element.
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
				if el.Name.Local != "figure" {
					t.Errorf("root element %q, want figure", el.Name.Local)
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Errorf("got %d root elements and depth %d at the end, want 1 and 0", roots, depth)
	}
}
