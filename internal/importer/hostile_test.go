package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats"
	"github.com/bodystats/bodystats/internal/store"
)

// TestHostileInputs: each bad file gets a clear error or its bad records skipped with reasons; nothing is
// stored twice and what an earlier import stored stays.
func TestHostileInputs(t *testing.T) {
	good := appleDoc("en_US", appleBody("kg", "81.3", "81.0"))
	later := hk("BodyMass", "Renpho", "kg", "2024-03-03 07:10:00 +0100", "81.0")
	zipped := zipOf(t, entry{"apple_health_export/export.xml", good})
	laughs := `<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<HealthData locale="en_US">&lol9;
` + hk("BodyMass", "&lol9;", "kg", "2024-04-01 07:00:00 +0200", "80.5") + `</HealthData>`
	ranges := appleDoc("en_US", hk("BodyMass", "A", "kg", "2024-05-01 07:00:00 +0200", "0")+
		hk("BodyMass", "A", "kg", "2024-05-02 07:00:00 +0200", "900")+
		hk("BodyMass", "A", "kg", "2024-05-03 07:00:00 +0200", "80")+hk("BodyFatPercentage", "A", "%", "2024-05-03 07:00:00 +0200", "0.8")+
		hk("BodyMass", "A", "kg", "1850-05-04 07:00:00 +0200", "80")+
		hk("BodyMass", "A", "kg", "2099-05-05 07:00:00 +0200", "80")+
		hk("BodyMass", "A", "kg", "2024-05-06 07:00:00 +0200", "79.5"))
	tests := []struct {
		name    string
		data    []byte
		err     error // nil: imported
		words   string
		added   int
		reasons map[string]int
	}{
		{"TruncatedXML", []byte(good[:strings.Index(good, later)+30]), formats.ErrTruncated, "import the complete file", 0, nil},
		{"TruncatedZip", zipped[:len(zipped)*2/3], formats.ErrMalformed, "damaged, or cut short", 0, nil},
		{"TwoRootElements", []byte(good + "<HealthData>" + later + "</HealthData>"), formats.ErrMalformed, "nothing was imported", 0, nil},
		{"BillionLaughs", []byte(laughs), nil, "", 1, nil},
		{"ZipBomb", bomb(t), formats.ErrLimit, "zip bomb", 0, nil},
		{"BinaryFile", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), formats.ErrUnknownFormat, "a binary file starting ff d8 ff e0", 0, nil},
		{"TextFile", []byte("just some notes\nabout my weight\n"), formats.ErrUnknownFormat, `a text file starting "just some notes about my weight"`, 0, nil},
		{"OtherXML", []byte(`<?xml version="1.0"?><ClinicalDocument/>`), formats.ErrUnknownFormat, "an XML file starting", 0, nil},
		{"ZipOfPhotos", zipOf(t, entry{"a.jpg", "x"}, entry{"b.png", "y"}), formats.ErrUnknownFormat, "a zip with 2 entries: a.jpg, b.png", 0, nil},
		{"EmptyFile", nil, formats.ErrUnknownFormat, "an empty file", 0, nil},
		{"OutOfRangeXML", []byte(ranges), nil, "", 1, map[string]int{ReasonWeight: 2, ReasonFat: 1, ReasonOld: 1, ReasonFuture: 1}},
		{"OutOfRangeCSV", []byte("date,weight,fat\n1850-01-01,80,\n2099-01-01,80,\n2025-01-01,0,\n2025-01-02,900,\n2025-01-03,80,80\n2025-01-04,80.5,20\n"), nil, "", 1, nil},
		{"OutOfRangeSamsung", []byte("com.samsung.health.weight,6010014,31\nweight,body_fat,start_time,time_offset\n0,,2025-01-12 06:20:44.120,UTC+0100\n900,,2025-01-13 06:20:44.120,UTC+0100\n80,80,2025-01-14 06:20:44.120,UTC+0100\n80,20,1899-12-31 06:20:44.120,UTC+0100\n80,20,2025-01-15 06:20:44.120,UTC+0100\n"),
			nil, "", 1, map[string]int{ReasonWeight: 2, ReasonFat: 1, ReasonOld: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpen(t)
			if _, err := Import(t.Context(), db, strings.NewReader(withingsCSV), int64(len(withingsCSV)), Options{}); err != nil {
				t.Fatal(err)
			}
			before, _ := db.History(t.Context())
			sum, err := Import(t.Context(), db, bytes.NewReader(tt.data), int64(len(tt.data)), Options{Name: tt.name})
			if tt.err != nil {
				if !errors.Is(err, tt.err) || !strings.Contains(strings.ToLower(Message(err)), strings.ToLower(tt.words)) || strings.Contains(Message(err), "importer:") {
					t.Errorf("err = %v (message %q), want %v saying %q", err, Message(err), tt.err, tt.words)
				}
			} else if err != nil {
				t.Fatal(err)
			} else if sum.Added != tt.added {
				t.Errorf("%d added, want %d: %+v", sum.Added, tt.added, sum)
			}
			for why, n := range tt.reasons {
				if got := reasonCount(sum, why); got != n {
					t.Errorf("%d skipped for %q, want %d: %+v", got, why, n, sum.Files)
				}
			}
			after, _ := db.History(t.Context())
			if len(after) != len(before)+tt.added {
				t.Errorf("history %d rows, want %d before + %d", len(after), len(before), tt.added)
			}
			for i, m := range before {
				if i >= len(after) || !contained(after, m.ExternalID) {
					t.Fatalf("row %s stored before is gone", m.ExternalID)
				}
			}
		})
	}
}

func contained(hist []store.Measurement, id string) bool {
	for _, m := range hist {
		if m.ExternalID == id {
			return true
		}
	}
	return false
}

func reasonCount(sum Summary, why string) int {
	n := 0
	for _, f := range sum.Files {
		for _, r := range f.Reasons {
			if r.Why == why {
				n += r.N
			}
		}
	}
	return n
}

// bomb is an Apple Health export whose XML inflates 1000-fold: 24 MB of spaces after the prolog.
func bomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("apple_health_export/export.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(appleDoc("en_US", "")[:200]))
	pad := bytes.Repeat([]byte(" "), 1<<20)
	for range 24 {
		w.Write(pad)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
