package openscale

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
	ft "github.com/bodystats/bodystats/internal/formats/formattest"
	"github.com/google/go-cmp/cmp"
)

const h2 = `"biceps","bone","caliper1","caliper2","caliper3","calories","chest","comment","dateTime","fat","hip","lbm","muscle","neck","thigh","visceralFat","waist","water","weight"` + "\n"

func rec(date, clock string, kg float64) core.Record {
	return core.Record{Date: date, Clock: clock, WeightKg: kg, Unit: "kg", Device: "openScale"}
}

func TestReader(t *testing.T) {
	full := rec("2019-01-25", "06:31:00", 80.2)
	full.FatPct, full.LeanKg = ft.P(21.5), ft.P(63)
	tests := []struct {
		name string
		in   string
		want []core.Record
		rows int
	}{
		{"2.x header in any order, zeros mean not measured", h2 + `"0.0","3.1","0.0","0.0","0.0","0.0","0.0","","2019-01-25 06:31","21.5","0.0","63.0","40.1","0.0","0.0","0.0","0.0","55.0","80.2"` + "\n" +
			`"0.0","0.0","0.0","0.0","0.0","0.0","0.0","after run","2019-01-26 07:02","0.0","0.0","0.0","0.0","0.0","0.0","0.0","0.0","0.0","79.9"` + "\n",
			[]core.Record{full, rec("2019-01-26", "07:02:00", 79.9)}, 0},
		{"2.x with lbw and semicolons", `"dateTime";"weight";"fat";"water";"muscle";"lbw";"comment"` + "\n" + `"2019-01-25 06:31";"80,2";"21,5";"55";"40";"63";""` + "\n",
			[]core.Record{full}, 0},
		{"3.x snake case, date and time apart", "date,time,weight,body_fat,water,muscle,lean_body_mass\n2025-06-01,07:02:11,80.2,21.5,55,40,63\n",
			[]core.Record{func() core.Record { r := full; r.Clock = "07:02:11"; r.Date = "2025-06-01"; return r }()}, 0},
		{"3.x ISO date-time", "date_time,weight,body_fat,water\n2025-06-01T07:02:11,80.2,,\n", []core.Record{rec("2025-06-01", "07:02:11", 80.2)}, 0},
		{"bad rows", h2 + `"0","0","0","0","0","0","0","","someday","0","0","0","0","0","0","0","0","0","80"` + "\n" + `"0","0","0","0","0","0","0","","2019-01-25 06:31","x","0","0","0","0","0","0","0","0","80"` + "\n", nil, 2},
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

func FuzzReader(f *testing.F) {
	f.Add([]byte(h2 + `"0.0","3.1","0.0","0.0","0.0","0.0","0.0","","2019-01-25 06:31","21.5","0.0","63.0","40.1","0.0","0.0","0.0","0.0","55.0","80.2"` + "\n"))
	f.Add([]byte("date_time,weight,body_fat,water\n1700000000000,-0,1e999,\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewReader(r) }, bytes.NewReader(in))
	})
}
