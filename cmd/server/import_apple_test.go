package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func appleRecord(typ, src, unit, start, value string) string {
	return ` <Record type="HKQuantityTypeIdentifier` + typ + `" sourceName="` + src + `" unit="` + unit + `" creationDate="` + start +
		`" startDate="` + start + `" endDate="` + start + `" value="` + value + `"/>` + "\n"
}

func appleExport(locale, unit, w1, w2, extra string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
]>
<HealthData locale="` + locale + `">
 <ExportDate value="2024-03-10 21:07:11 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-12-06"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch` + extra + `" unit="count/min" startDate="2024-03-02 07:14:00 +0100" endDate="2024-03-02 07:14:00 +0100" value="61"/>
` + appleRecord("BodyMass", "Renpho", unit, "2024-03-02 07:14:58 +0100", w1) +
		appleRecord("BodyMass", "MyFitnessPal", unit, "2024-03-02 07:14:10 +0100", w1) +
		appleRecord("BodyFatPercentage", "Renpho", "%", "2024-03-02 07:14:58 +0100", "0.214") +
		appleRecord("BodyMass", "Renpho", unit, "2024-03-03 07:10:00 +0100", w2) + "</HealthData>\n"
}

func zipped(t *testing.T, name, body string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("apple_health_export/export_cda.xml")
	w.Write([]byte(`<?xml version="1.0"?><ClinicalDocument/>`))
	w, _ = zw.Create(name)
	w.Write([]byte(body))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportAppleHealth runs `import` on Apple Health exports: kg and lb, English and localized names, zipped
// and bare, a stray \x0b; the weigh-in two apps wrote is stored once, and a second import adds nothing.
func TestImportAppleHealth(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		words      []string
		csv        []string // rows of the export, without the header
	}{
		{"KgZip", "export.zip", zipped(t, "apple_health_export/export.xml", appleExport("en_US", "kg", "81.3", "81", "")),
			[]string{"(Apple Health export (zip))", "Unit: kilograms: the file names the unit", "export.zip: apple_health_export/export.xml: 2 added, 0 merged, 0 skipped"},
			[]string{"2024-03-02,07:14:58,81.3,", "2024-03-03,07:10:00,81,"}},
		{"LbBareXML", "export.xml", []byte(appleExport("en_US", "lb", "179.2", "178.6", "")),
			[]string{"(Apple Health export)", "Unit: pounds", "2 added"}, []string{"2024-03-02,07:14:58,81.28", "2024-03-03,07:10:00,81.01"}},
		{"SpanishZip", "exportar.zip", zipped(t, "apple_health_export/exportar.xml", appleExport("es_ES", "kg", "81.3", "81", "")),
			[]string{"apple_health_export/exportar.xml: 2 added"}, []string{"2024-03-02,07:14:58,81.3,", "2024-03-03,07:10:00,81,"}},
		{"FinnishBareXML", "vienti.xml", []byte(appleExport("fi_FI", "kg", "81.3", "81", "")), []string{"2 added"}, nil},
		{"VerticalTab", "export.xml", []byte(appleExport("en_US", "kg", "81.3", "81", "\x0b")), []string{"2 added"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			dataDir := t.TempDir()
			var out, errOut bytes.Buffer
			if err := run(t.Context(), []string{"-data-dir", dataDir, "import", path}, nil, &out, &errOut); err != nil {
				t.Fatalf("import: %v\n%s", err, errOut.String())
			}
			for _, w := range append(tt.words, "Total: 2 added, 0 merged") {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if strings.Contains(out.String(), "\r") {
				t.Errorf("progress written to a non-terminal:\n%q", out.String())
			}
			out.Reset()
			if err := run(t.Context(), []string{"-data-dir", dataDir, "import", path}, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "Total: 0 added, 2 merged") {
				t.Errorf("second import: %v\n%s", err, out.String())
			}
			out.Reset()
			if err := run(t.Context(), []string{"-data-dir", dataDir, "export"}, nil, &out, &errOut); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if len(lines) != 3 {
				t.Fatalf("export has %d lines, want a header and 2 weigh-ins:\n%s", len(lines), out.String())
			}
			for i, prefix := range tt.csv {
				if !strings.HasPrefix(lines[i+1], prefix) {
					t.Errorf("export row %d = %q, want it to start %q", i+1, lines[i+1], prefix)
				}
			}
		})
	}
}

// TestImportUnknownFile: a file of no known format is refused with what it looked like, on one line.
func TestImportUnknownFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.csv")
	os.WriteFile(path, []byte("shopping list\nmilk\n"), 0o600)
	err := run(t.Context(), []string{"-data-dir", t.TempDir(), "import", path}, nil, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `a text file starting "shopping list milk"`) || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want the sniffer's description on one line", err)
	}
}
