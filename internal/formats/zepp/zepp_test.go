package zepp

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/formats/core"
	ft "github.com/bodystats/bodystats/internal/formats/formattest"
	"github.com/google/go-cmp/cmp"
)

const h2023 = "time,weight,height,bmi,fatRate,bodyWaterRate,boneMass,metabolism,muscleRate,visceralFat\n"

func TestReader(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	r1 := core.Record{Date: "2024-09-14", Clock: "06:48:21", Offset: 3600, OffsetKnown: true, WeightKg: 72.35, HeightCm: 176,
		BMI: ft.P(23.4), FatPct: ft.P(19.8), Unit: "kg", Device: "Zepp Life"}
	tests := []struct {
		name string
		in   string
		want []core.Record
		rows int
	}{
		{"UTC times become the local clock", h2023 + "2024-09-14 05:48:21+0000,72.35,176.0,23.4,19.8,55.1,2.9,1611.0,54.7,7.0\n", []core.Record{r1}, 0},
		{"BOM and null", "\ufeff" + h2023 + "2024-09-14 05:48:21+0000,72.35,176.0,23.4,null,null,null,null,null,null\n",
			[]core.Record{func() core.Record { r := r1; r.FatPct = nil; return r }()}, 0},
		{"2020 layout with Unix timestamps", "timestamp,weight,height,bmi,fatRate,bodyWaterRate,boneMass,metabolism,muscleRate,visceralFat,impedance\n1726292901,72.35,176.0,23.4,19.8,55.1,2.9,1611.0,54.7,7.0,500\n",
			[]core.Record{r1}, 0},
		{"past midnight in the local zone", h2023 + "2024-09-14 23:30:00+0000,72.35,0,null,null,null,null,null,null,null\n",
			[]core.Record{{Date: "2024-09-15", Clock: "00:30:00", Offset: 3600, OffsetKnown: true, WeightKg: 72.35, Unit: "kg", Device: "Zepp Life"}}, 0},
		{"bad rows", h2023 + "soon,72,,,,,,,,\n2024-09-14 05:48:21+0000,null,,,,,,,,\n2024-09-14 05:48:21+0000,72,abc,,,,,,,\n", nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rows, err := ft.ReadAll(t, NewReaderIn(strings.NewReader(tt.in), berlin))
			if err != nil || len(rows) != tt.rows {
				t.Fatalf("err %v, row errors %v, want %d", err, rows, tt.rows)
			}
			if d := cmp.Diff(tt.want, got, ft.Approx); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
		})
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(h2023 + "2024-09-14 05:48:21+0000,72.35,176.0,23.4,19.8,55.1,2.9,1611.0,54.7,7.0\n"))
	f.Add([]byte("timestamp,weight,fatRate,bodyWaterRate\n99999999999999,1e308,null,\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewReaderIn(r, time.UTC) }, bytes.NewReader(in))
	})
}
