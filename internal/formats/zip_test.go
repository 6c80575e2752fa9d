package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	ft "github.com/bodystats/bodystats/internal/formats/formattest"
)

type file struct{ name, body string }

func makeZip(t *testing.T, files ...file) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.body)
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

const (
	appleXML = `<?xml version="1.0"?>
<!DOCTYPE HealthData [ <!ENTITY a "b"> ]>
<HealthData locale="nb_NO">
 <Record type="HKQuantityTypeIdentifierBodyMass" sourceName="Vekt" unit="kg" startDate="2024-03-02 07:14:58 +0100" endDate="2024-03-02 07:14:58 +0100" value="81.3"/>
</HealthData>
`
	withingsCSV = `Date,"Weight (kg)","Fat mass (kg)",Comments` + "\n" + `"2025-05-04 07:41:10",80,20,` + "\n"
	fitJSON     = `{"Data Source":"x","Data Points":[{"fitValue":[{"value":{"fpVal":%s}}],"startTimeNanos":1735718400000000000,"dataTypeName":"com.google.weight"}]}`
	bioJSON     = `[{"metaData":{"calendarDate":"2022-08-31T00:00:00.0"},"weight":{"timestampGMT":"2022-08-31T06:12:34.0","weight":81200.0}}]`
)

func TestSniffZip(t *testing.T) {
	tests := []struct {
		name  string
		files []file
		want  string // a Format ID, or the error text
	}{
		{"apple health, Norwegian", []file{{"apple_health_export/eksport.xml", appleXML}, {"apple_health_export/export_cda.xml", "<ClinicalDocument/>"}}, "apple-health"},
		{"fitbit", []file{{"Takeout/Fitbit/Global Export Data/weight-2024-01-01.json", "[]"}}, "fitbit-export"},
		{"garmin", []file{{"DI_CONNECT/DI-Connect-Fitness/x.fit", "\x00"}, {"DI_CONNECT/DI-Connect-Wellness/123_userBioMetrics.json", bioJSON}}, "garmin"},
		{"samsung", []file{{"samsunghealth_a_20250101/com.samsung.health.weight.20250101120000.csv", "com.samsung.health.weight,1,2\n"}}, "samsung-health"},
		{"google fit", []file{{"Takeout/Fit/All Data/derived_com.google.weight_com.google.android.g.json", "{}"}}, "google-fit"},
		{"a Takeout with Fitbit and Fit", []file{{"Takeout/Fit/All Data/derived_com.google.weight_x.json", "{}"}, {"Takeout/Fitbit/Global Export Data/weight-2024-01-01.json", "[]"}}, "fitbit-export"},
		{"withings by content", []file{{"data_LEO_1771869311/README.txt", "Withings export"}, {"data_LEO_1771869311/weight.csv", withingsCSV}}, "withings"},
		{"a zipped renpho csv", []file{{"Renpho Health-1.csv", "Time of Measurement,Weight(kg),BMI,Body Fat(%)\n"}}, "renpho"},
		{"unknown", []file{{"foo.txt", "hello"}, {"bar/baz.csv", "a,b\n"}, {"qux.bin", "\x00"}}, "a zip with 3 entries: bar/baz.csv, foo.txt, qux.bin"},
		{"empty", nil, "an empty zip"},
		{"path traversal", []file{{"../../etc/passwd", "x"}}, "unsafe"},
		{"absolute path", []file{{"/etc/passwd", "x"}}, "unsafe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := SniffZip(makeZip(t, tt.files...))
			if err != nil {
				if !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err %q, want %q", err, tt.want)
				}
				return
			}
			if f.ID != tt.want {
				t.Errorf("got %q, want %q", f.ID, tt.want)
			}
		})
	}
}

func TestOpenZip(t *testing.T) {
	tests := []struct {
		name  string
		files []file
		kg    []float64
	}{
		{"apple health", []file{{"apple_health_export/exportar.xml", appleXML}}, []float64{81.3}},
		{"withings", []file{{"d/weight.csv", withingsCSV}, {"d/height.csv", `Date,"Height (m)",Comments`}}, []float64{80}},
		{"garmin, two files", []file{{"a/1_userBioMetrics.json", bioJSON}, {"b/2_userBioMetrics.json", bioJSON}}, []float64{81.2, 81.2}},
		{"google fit prefers the derived stream", []file{
			{"Takeout/Fit/All Data/raw_com.google.weight_com.google.android.apps.json", strings.Replace(fitJSON, "%s", "70", 1)},
			{"Takeout/Fit/All Data/derived_com.google.weight_com.google.android.g.json", strings.Replace(fitJSON, "%s", "80", 1)},
		}, []float64{80}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zr := makeZip(t, tt.files...)
			f, err := SniffZip(zr)
			if err != nil {
				t.Fatal(err)
			}
			rc, err := OpenZipIn(f, zr, time.UTC)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			recs, rows, err := ft.ReadAll(t, rc)
			if err != nil || rows != nil {
				t.Fatalf("err %v, rows %v", err, rows)
			}
			var got []float64
			for _, r := range recs {
				got = append(got, r.WeightKg)
			}
			if !slicesEqual(got, tt.kg) {
				t.Errorf("weights %v, want %v", got, tt.kg)
			}
		})
	}
}

func slicesEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestZipBomb(t *testing.T) {
	zr := makeZip(t, file{"apple_health_export/export.xml", appleXML[:60] + strings.Repeat(" ", 64<<20)})
	_, err := OpenZip(AppleHealth, zr)
	if !errors.Is(err, ErrLimit) {
		t.Errorf("a 64 MB entry of spaces: err %v, want ErrLimit", err)
	}
}

func TestEncryptedZip(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "BODY/BODY_1.csv", Method: zip.Store, Flags: 0x1, CompressedSize64: 4, UncompressedSize64: 4})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("\x01\x02\x03\x04"))
	zw.Close()
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if _, err := SniffZip(zr); !errors.Is(err, ErrEncrypted) {
		t.Errorf("err %v, want ErrEncrypted", err)
	}
}

func TestOpenOtherReaders(t *testing.T) {
	for _, f := range []Format{FitbitExport, BodystatsCSV, GenericCSV, Zip} {
		if _, err := Open(f, strings.NewReader("")); !errors.Is(err, ErrOtherReader) {
			t.Errorf("%s: err %v, want ErrOtherReader", f.ID, err)
		}
	}
}
