package applehealth

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/bodystats/bodystats/internal/formats/core"
)

func TestReaderProblems(t *testing.T) {
	good := rec(typeMass, "ScaleApp", "kg", t1, "81.3")
	later := rec(typeMass, "ScaleApp", "kg", "2024-03-05 07:00:00 +0100", "80.9")
	whole := doc(good + later)
	cut := strings.Index(whole, later) + 40
	bomb := `<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2; ]> tricky">
]>
<HealthData locale="en_US">&lol9;
` + strings.Replace(good, "ScaleApp", "&lol9;", 1) + `</HealthData>`
	tests := []struct {
		name    string
		in      string
		records int
		rows    int
		want    error // nil: a clean io.EOF
	}{
		{"whole", whole, 2, 0, nil},
		{"truncated inside a tag", whole[:cut], 1, 0, core.ErrTruncated},
		{"truncated between records", whole[:strings.Index(whole, later)], 1, 0, core.ErrTruncated},
		{"truncated in the DTD", whole[:60], 0, 0, core.ErrTruncated},
		{"two root elements", doc(good) + "<HealthData>" + later + "</HealthData>", 1, 0, core.ErrMalformed},
		{"text after the root is ignored, an element is not", doc(good) + "\n<!-- c -->\n<x/>", 1, 0, core.ErrMalformed},
		{"a stray end tag", doc(good) + "</HealthData>", 1, 0, core.ErrMalformed},
		{"entity bomb in the DTD is never expanded", bomb, 1, 0, nil},
		{"iOS 16 DTD with an ATTLIST missing its >", strings.Replace(whole, "#REQUIRED>", "#REQUIRED", 1), 2, 0, nil},
		{"another XML document", `<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"></ClinicalDocument>`, 0, 0, core.ErrUnknownFormat},
		{"empty", "", 0, 0, core.ErrUnknownFormat},
		{"bad values are row errors", doc(good + rec(typeMass, "A", "kg", t1, "eighty") + rec(typeMass, "A", "kgs?", t1, "80") +
			rec(typeMass, "A", "kg", "yesterday", "80") + rec(typeMass, "A", "kg", t1, "NaN") + rec(typeMass, "A", "kg", t1, "-3") +
			rec(typeMass, "A", "st", t1, "1.7e308") + later), 2, 6, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rows, err := readAll(t, NewReader(iotest.HalfReader(strings.NewReader(tt.in))))
			if len(got) != tt.records || len(rows) != tt.rows {
				t.Errorf("got %d records and %d row errors %v, want %d and %d", len(got), len(rows), rows, tt.records, tt.rows)
			}
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
			if tt.name == "entity bomb in the DTD is never expanded" && len(got) == 1 && got[0].Device != "&lol9;" {
				t.Errorf("device %q, want the entity as written", got[0].Device)
			}
		})
	}
}

func TestFound(t *testing.T) {
	r := NewReader(strings.NewReader(doc(rec(typeMass, "A", "kg", t1, "80") + rec(typeFat, "A", "%", t1, "0.2"))))
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if got := r.Found(); got != 2 {
		t.Errorf("Found() = %d, want the 2 body records", got)
	}
}

func TestReaderErrorRepeats(t *testing.T) {
	r := NewReader(strings.NewReader(doc("")[:200]))
	for i := 0; i < 3; i++ {
		if _, err := r.Next(); !errors.Is(err, core.ErrTruncated) {
			t.Fatalf("call %d: err %v, want ErrTruncated", i, err)
		}
	}
}

func makeZip(t *testing.T, files map[string]string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

func TestOpenZip(t *testing.T) {
	cda := `<?xml version="1.0"?><ClinicalDocument/><ClinicalDocument/>`
	main := doc(rec(typeMass, "ScaleApp", "kg", t1, "81.3"))
	tests := []struct {
		name  string
		files map[string]string
		entry string
		want  error
	}{
		{"English", map[string]string{"apple_health_export/export.xml": main, "apple_health_export/export_cda.xml": cda}, "apple_health_export/export.xml", nil},
		{"Spanish", map[string]string{"apple_health_export/exportar.xml": main, "apple_health_export/export_cda.xml": cda}, "apple_health_export/exportar.xml", nil},
		{"Chinese", map[string]string{"apple_health_export/导出.xml": main, "apple_health_export/workout-routes/r.gpx": "<gpx/>"}, "apple_health_export/导出.xml", nil},
		{"only the clinical document", map[string]string{"apple_health_export/export_cda.xml": cda}, "", core.ErrUnknownFormat},
		{"path traversal", map[string]string{"../export.xml": main}, "", core.ErrUnsafe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zr, err := OpenZip(makeZip(t, tt.files))
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("err %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			if zr.Entry != tt.entry {
				t.Errorf("entry %q, want %q", zr.Entry, tt.entry)
			}
			got, _, err := readAll(t, zr)
			if err != nil || len(got) != 1 || got[0].WeightKg != 81.3 {
				t.Errorf("got %v, %v; want one 81.3 kg record", got, err)
			}
		})
	}
}
