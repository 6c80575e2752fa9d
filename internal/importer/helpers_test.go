package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/store"
)

const appleProlog = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
]>
<HealthData locale="%s">
 <ExportDate value="2024-03-10 21:07:11 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-12-06" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexMale"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" creationDate="2024-03-02 07:15:40 +0100" startDate="2024-03-02 07:14:00 +0100" endDate="2024-03-02 07:14:00 +0100" value="61">
  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>
 </Record>
`

// appleDoc is an Apple Health main XML of the given locale holding body.
func appleDoc(locale, body string) string {
	return fmt.Sprintf(appleProlog, locale) + body + "</HealthData>\n"
}

// hk is one Record line of type HKQuantityTypeIdentifier<typ>.
func hk(typ, src, unit, start, value string) string {
	return ` <Record type="HKQuantityTypeIdentifier` + typ + `" sourceName="` + src + `" sourceVersion="7" unit="` + unit +
		`" creationDate="` + start + `" startDate="` + start + `" endDate="` + start + `" value="` + value + `"/>` + "\n"
}

// appleBody is two weigh-ins of the unit given (the first written by two apps, with a fat record) and a height.
func appleBody(unit string, w1, w2 string) string {
	return hk("BodyMass", "Renpho", unit, "2024-03-02 07:14:58 +0100", w1) +
		hk("BodyMass", "Health", unit, "2024-03-02 07:14:20 +0100", w1) + // the same weigh-in, copied by another app
		hk("BodyFatPercentage", "Renpho", "%", "2024-03-02 07:14:58 +0100", "0.214") +
		hk("BodyMass", "Renpho", unit, "2024-03-03 07:10:00 +0100", w2) +
		hk("Height", "Health", "cm", "2023-01-01 10:00:00 +0100", "180")
}

type entry struct{ name, body string }

func zipOf(tb testing.TB, entries ...entry) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile puts data in a new folder under name and returns its path.
func writeFile(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// want is one expected row of the history.
type want struct {
	date, clock, zone string
	kg                float64
	fat               float64 // 0: none
	source            string
}

// checkHistory compares the history with the rows expected, exactly (weights to 1e-6 kg).
func checkHistory(t *testing.T, db *store.DB, ws []want) []store.Measurement {
	t.Helper()
	got, err := db.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ws) {
		t.Fatalf("history holds %d weigh-ins, want %d: %+v", len(got), len(ws), got)
	}
	for i, w := range ws {
		m := got[i]
		fatOK := (m.FatPct == nil && w.fat == 0) || (m.FatPct != nil && math.Abs(*m.FatPct-w.fat) < 1e-6)
		if m.Date != w.date || m.Time != w.clock || m.TimeZone != w.zone || math.Abs(m.WeightKg-w.kg) > 1e-6 || !fatOK ||
			(w.source != "" && m.Source != w.source) {
			t.Errorf("row %d = %s %s %q %.6f kg fat %v %q, want %+v", i, m.Date, m.Time, m.TimeZone, m.WeightKg, m.FatPct, m.Source, w)
		}
	}
	return got
}

// utcLocal is a UTC instant as the local clock reading the UTC-only formats give (in time.Local).
func utcLocal(utc string) (date, clock, zone string) {
	t, err := time.Parse("2006-01-02 15:04:05", utc)
	if err != nil {
		panic(err)
	}
	l := t.In(time.Local)
	_, off := l.Zone()
	return l.Format("2006-01-02"), l.Format("15:04:05"), offsetZone(off)
}

func wantUTC(utc string, kg, fat float64, source string) want {
	d, c, z := utcLocal(utc)
	return want{d, c, z, kg, fat, source}
}

func contains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%s", what, sub, s)
		}
	}
}
