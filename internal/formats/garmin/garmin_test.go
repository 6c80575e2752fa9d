package garmin

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/formats/core"
	ft "github.com/bodystats/bodystats/internal/formats/formattest"
	"github.com/google/go-cmp/cmp"
)

const bio = `[
 {"metaData":{"calendarDate":"2022-08-31T00:00:00.0"},"height":{"height":180.0}},
 {"metaData":{"calendarDate":"2022-08-31T00:00:00.0"},"weight":{"samplePk":1661926354000,"timestampGMT":"2022-08-31T06:12:34.0","weight":81200.0,"bmi":24.9,"bodyFat":21.4,"sourceType":"INDEX_SCALE"}},
 {"metaData":{"calendarDate":"2022-09-01T00:00:00.0"},"weight":{"timestampGMT":1661994000000,"weight":80900.0,"bmi":0.0,"bodyFat":0.0}},
 {"metaData":{"calendarDate":"2022-09-02T00:00:00.0"},"vo2Max":{"value":50}}
]`

func TestJSONReader(t *testing.T) {
	tz := time.FixedZone("CEST", 2*3600)
	want := []core.Record{
		{Date: "2022-08-31", Clock: "08:12:34", Offset: 7200, OffsetKnown: true, WeightKg: 81.2, BMI: ft.P(24.9), FatPct: ft.P(21.4), Unit: "kg", Device: "Garmin", ExternalID: "garmin:1661926354000"},
		{Date: "2022-09-01", Clock: "03:00:00", Offset: 7200, OffsetKnown: true, WeightKg: 80.9, Unit: "kg", Device: "Garmin"},
	}
	got, rows, err := ft.ReadAll(t, NewReaderIn(strings.NewReader(bio), tz))
	if err != nil || rows != nil {
		t.Fatalf("err %v, rows %v", err, rows)
	}
	if d := cmp.Diff(want, got, ft.Approx); d != "" {
		t.Errorf("grams to kg, GMT to local, zeros dropped (-want +got):\n%s", d)
	}
}

func TestJSONReaderProblems(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		records int
		rows    int
		want    error
	}{
		{"truncated", bio[:strings.Index(bio, `{"metaData":{"calendarDate":"2022-09-01`)+20], 1, 0, core.ErrTruncated},
		{"not an array", `{"weight":1}`, 0, 0, core.ErrMalformed},
		{"bad entries are row errors", `[{"weight":{"timestampGMT":"yesterday","weight":1}},{"weight":{"timestampGMT":1,"weight":-5}},{"weight":{"weight":"heavy"}}]`, 0, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rows, err := ft.ReadAll(t, NewReaderIn(strings.NewReader(tt.in), time.UTC))
			if len(got) != tt.records || len(rows) != tt.rows {
				t.Errorf("got %d records, rows %v", len(got), rows)
			}
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCSVReader(t *testing.T) {
	in := "Time,Weight,Change,BMI,Body Fat,Skeletal Muscle Mass,Bone Mass,Body Water\n" +
		" Mar 9, 2025\n07:12,81.0 kg,-0.3 kg,24.9,21.4%,–,–,–\n6:05 PM,81.3 kg,0.3 kg,–,–,–,–,–\n" +
		"\" Mar 8, 2025\",,,,,,,\n07:00,178.6 lbs,–,–,–,–,–,–\n07:30,81.5,–,–,–,–,–,–\n"
	want := []core.Record{
		{Date: "2025-03-09", Clock: "07:12:00", WeightKg: 81, BMI: ft.P(24.9), FatPct: ft.P(21.4), Unit: "kg", Device: "Garmin"},
		{Date: "2025-03-09", Clock: "18:05:00", WeightKg: 81.3, Unit: "kg", Device: "Garmin"},
		{Date: "2025-03-08", Clock: "07:00:00", WeightKg: 178.6 * core.KgPerLb, Unit: "lb", Device: "Garmin"},
		{Date: "2025-03-08", Clock: "07:30:00", WeightKg: 81.5, Device: "Garmin"},
	}
	got, rows, err := ft.ReadAll(t, NewCSVReader(strings.NewReader(in)))
	if err != nil || rows != nil {
		t.Fatalf("err %v, rows %v", err, rows)
	}
	if d := cmp.Diff(want, got, ft.Approx); d != "" {
		t.Errorf("date rows over time rows, units in cells, en dash missing (-want +got):\n%s", d)
	}
	_, rows, _ = ft.ReadAll(t, NewCSVReader(strings.NewReader("Time,Weight,Change\n07:12,81 kg,\nsoon,,\n Mar 9, 2025\n07:00,80 stones?,\n")))
	if len(rows) != 3 {
		t.Errorf("rows %v, want a time before a date, a bad date and a bad unit", rows)
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(bio))
	f.Add([]byte("Time,Weight,Change,BMI,Body Fat\n Mar 9, 2025\n07:12,81.0 kg,-0.3 kg,24.9,21.4%\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewReaderIn(r, time.UTC) }, bytes.NewReader(in))
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewCSVReader(r) }, bytes.NewReader(in))
	})
}
