package samsung

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

const meta = "com.samsung.health.weight,6010014,31\n"

func TestReader(t *testing.T) {
	r1 := core.Record{Date: "2025-01-12", Clock: "07:20:44", Offset: 3600, OffsetKnown: true, WeightKg: 79.8, FatPct: ft.P(21.5), Unit: "kg", Device: "Samsung Health", ExternalID: "6c1e-1"}
	tests := []struct {
		name string
		in   string
		want []core.Record
		rows int
	}{
		{"metadata line, UTC plus time_offset, ragged trailing comma", meta + "weight,body_fat,start_time,time_offset,datauuid,\n79.8,21.5,2025-01-12 06:20:44.120,UTC+0100,6c1e-1,\n", []core.Record{r1}, 0},
		{"prefixed columns, height, west of UTC across midnight", meta + "com.samsung.health.weight.start_time,com.samsung.health.weight.weight,com.samsung.health.weight.height,com.samsung.health.weight.time_offset,com.samsung.health.weight.datauuid\n2025-01-12 03:20:44.120,79.8,180,UTC-0500,u2\n",
			[]core.Record{{Date: "2025-01-11", Clock: "22:20:44", Offset: -5 * 3600, OffsetKnown: true, WeightKg: 79.8, HeightCm: 180, Unit: "kg", Device: "Samsung Health", ExternalID: "u2"}}, 0},
		{"no metadata line, no offset in a row", "start_time,weight,time_offset,body_fat\n2025-01-12 06:20:44.120,79.8,,\n",
			[]core.Record{{Date: "2025-01-12", Clock: "06:20:44", OffsetKnown: true, WeightKg: 79.8, Unit: "kg", Device: "Samsung Health"}}, 0},
		{"bad rows", meta + "weight,start_time,time_offset\n79.8,never,UTC+0100\n79.8,2025-01-12 06:20:44.120,CET\n,2025-01-12 06:20:44.120,UTC+0100\n", nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rows, err := ft.ReadAll(t, NewReaderIn(strings.NewReader(tt.in), time.UTC))
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
	f.Add([]byte(meta + "weight,body_fat,start_time,time_offset,datauuid,\n79.8,21.5,2025-01-12 06:20:44.120,UTC+0100,6c1e,\n"))
	f.Add([]byte("start_time,weight,time_offset,height\n2025-01-12 06:20,1e308,UTC-1459,1e308\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewReaderIn(r, time.UTC) }, bytes.NewReader(in))
	})
}
