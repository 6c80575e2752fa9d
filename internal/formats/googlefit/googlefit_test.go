package googlefit

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

const weights = `{"Data Source":"derived:com.google.weight:com.google.android.gms:merge_weight","Data Points":[
{"fitValue":[{"value":{"fpVal":80.6}}],"originDataSourceId":"raw:com.google.weight:com.google.android.apps.fitness:user_input","startTimeNanos":1735718400000000000,"endTimeNanos":1735718400000000000,"dataTypeName":"com.google.weight","modifiedTimeMillis":1735718400000,"rawTimestampNanos":0},
{"fitValue":[{"value":{"fpVal":1.7526}}],"startTimeNanos":1735804800123456789,"endTimeNanos":1735804800123456789,"dataTypeName":"com.google.height"},
{"fitValue":[{"value":{"fpVal":21.5}}],"startTimeNanos":1735804800000000000,"dataTypeName":"com.google.body.fat.percentage"}
]}`

func TestReader(t *testing.T) {
	ny := time.FixedZone("EST", -5*3600)
	want := []core.Record{
		{Date: "2025-01-01", Clock: "03:00:00", Offset: -18000, OffsetKnown: true, WeightKg: 80.6, Unit: "kg", Device: "Google Fit"},
		{Date: "2025-01-02", Clock: "03:00:00", Offset: -18000, OffsetKnown: true, HeightCm: 175.26, Device: "Google Fit"},
		{Date: "2025-01-02", Clock: "03:00:00", Offset: -18000, OffsetKnown: true, FatPct: ft.P(21.5), Device: "Google Fit"},
	}
	got, rows, err := ft.ReadAll(t, NewReaderIn(strings.NewReader(weights), ny))
	if err != nil || rows != nil {
		t.Fatalf("err %v, rows %v", err, rows)
	}
	if d := cmp.Diff(want, got, ft.Approx); d != "" {
		t.Errorf("nanoseconds to the local clock, metres to cm (-want +got):\n%s", d)
	}
}

func TestReaderProblems(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		records int
		rows    int
		want    error
	}{
		{"truncated", weights[:strings.Index(weights, "com.google.height")], 1, 0, core.ErrTruncated},
		{"no data points", `{"Data Source":"x"}`, 0, 0, core.ErrUnknownFormat},
		{"an array", `[1]`, 0, 0, core.ErrMalformed},
		{"bad points", `{"Data Points":[{"fitValue":[]},{"fitValue":[{"value":{"fpVal":80}}],"startTimeNanos":"x"},{"fitValue":[{"value":{"fpVal":-1}}],"startTimeNanos":1,"dataTypeName":"com.google.weight"},{"fitValue":[{"value":{"fpVal":1}}],"startTimeNanos":1,"dataTypeName":"com.google.step_count.delta"}]}`, 0, 4, nil},
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

func FuzzReader(f *testing.F) {
	f.Add([]byte(weights))
	f.Add([]byte(`{"Data Points":[{"fitValue":[{"value":{"fpVal":1e308}}],"startTimeNanos":9223372036854775807,"dataTypeName":"com.google.height"}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewReaderIn(r, time.UTC) }, bytes.NewReader(in))
	})
}
