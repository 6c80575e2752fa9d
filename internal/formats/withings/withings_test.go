package withings

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
	ft "github.com/bodystats/bodystats/internal/formats/formattest"
	"github.com/google/go-cmp/cmp"
)

const header = `Date,"Weight (kg)","Fat mass (kg)","Bone mass (kg)","Muscle mass (kg)","Hydration (kg)",Comments` + "\n"

func rec(date, clock string, kg float64, fat *float64) core.Record {
	return core.Record{Date: date, Clock: clock, WeightKg: kg, FatPct: fat, Unit: "kg", Device: "Withings"}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []core.Record
		rows int
	}{
		{"fat mass over weight gives fat %, newest first", header + `"2025-05-04 07:41:10",79.62,16.05,3.31,60.12,44.80,` + "\n" + `"2025-05-03 07:40:00",80.00,,,,,` + "\n",
			[]core.Record{rec("2025-05-04", "07:41:10", 79.62, ft.P(16.05/79.62*100)), rec("2025-05-03", "07:40:00", 80, nil)}, 0},
		{"BOM and CRLF", "\ufeff" + strings.ReplaceAll(header, "\n", "\r\n") + "\"2025-05-04 07:41:10\",79.62,,,,,\r\n",
			[]core.Record{rec("2025-05-04", "07:41:10", 79.62, nil)}, 0},
		{"semicolons and decimal commas", strings.ReplaceAll(header, ",", ";") + `"2025-05-04 07:41:10";79,62;16,05;;;;` + "\n",
			[]core.Record{rec("2025-05-04", "07:41:10", 79.62, ft.P(16.05/79.62*100))}, 0},
		{"pounds in the header", `Date,"Weight (lb)","Fat mass (lb)",Comments` + "\n" + `"2025-05-04 07:41:10",180,36,` + "\n",
			[]core.Record{func() core.Record {
				r := rec("2025-05-04", "07:41:10", 180*core.KgPerLb, ft.P(20))
				r.Unit = "lb"
				return r
			}()}, 0},
		{"2016 dashboard with lean mass and 12-hour times", `"Date","Weight (kg)","Fat mass (kg)","Lean mass (kg)","Comments"` + "\n" + `"2016-05-31 6:36 PM","80","20","60",""` + "\n",
			[]core.Record{func() core.Record { r := rec("2016-05-31", "18:36:00", 80, ft.P(25)); r.LeanKg = ft.P(60); return r }()}, 0},
		{"out of range values pass through", header + `"1850-05-04 07:41:10",900,0,,,,` + "\n",
			[]core.Record{rec("1850-05-04", "07:41:10", 900, ft.P(0))}, 0},
		{"bad rows are row errors", header + `"yesterday",79,,,,,` + "\n" + `"2025-05-04 07:41:10",,,,,,` + "\n" + `"2025-05-04 07:41:10",-1,,,,,` + "\n" + `"2025-05-04 07:41:10",NaN,,,,,` + "\n" + `"2025-05-04 07:41:10",79,x,,,,` + "\n",
			nil, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rows, err := ft.ReadAll(t, NewReader(strings.NewReader(tt.in)))
			if err != nil || len(rows) != tt.rows {
				t.Fatalf("err %v, row errors %v, want %d", err, rows, tt.rows)
			}
			if d := cmp.Diff(tt.want, got, ft.Approx); d != "" {
				t.Errorf("records (-want +got):\n%s", d)
			}
		})
	}
}

func TestReaderNotWithings(t *testing.T) {
	for _, in := range []string{"", "Date,Weight\n", "time,weight,height,bmi,fatRate\n"} {
		if _, err := NewReader(strings.NewReader(in)).Next(); err == nil || errors.Is(err, io.EOF) && in != "" {
			t.Errorf("%q: err %v, want an error", in, err)
		}
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(header + `"2025-05-04 07:41:10",79.62,16.05,3.31,60.12,44.80,` + "\n"))
	f.Add([]byte(`"Date","Weight (lb)","Fat mass (lb)","Lean mass (lb)"` + "\n" + `"2016-05-31 6:36 AM","1e308","1e308",`))
	f.Fuzz(func(t *testing.T, in []byte) {
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewReader(r) }, bytes.NewReader(in))
	})
}
