package renpho

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
	ft "github.com/bodystats/bodystats/internal/formats/formattest"
	"github.com/google/go-cmp/cmp"
)

const h2024 = "Time of Measurement,Weight(kg),BMI,Body Fat(%),Fat-Free Mass(kg),Subcutaneous Fat(%),Visceral Fat,Body Water(%),Skeletal Muscle(%),Muscle Mass(kg),Bone Mass(kg),Protein(%),BMR(kcal),Metabolic Age,Optimal weight(kg),Target to optimal weight(kg),Target to optimal fat mass(kg),Target to optimal muscle mass(kg),Body Type,Remarks\n"

func rec(date, clock string, kg float64) core.Record {
	return core.Record{Date: date, Clock: clock, WeightKg: kg, Unit: "kg", Device: "Renpho"}
}

func TestReader(t *testing.T) {
	full := rec("2025-02-11", "06:58:03", 80.45)
	full.BMI, full.FatPct, full.LeanKg = ft.P(25.1), ft.P(22.7), ft.P(62.19)
	tests := []struct {
		name string
		in   string
		want []core.Record
		rows int
	}{
		{"2024 layout", h2024 + "2025-02-11 06:58:03,80.45,25.1,22.7,62.19,19.8,9,54.3,50.2,58.97,3.12,17.9,1702,38,,,,,Standard,\n", []core.Record{full}, 0},
		{"pounds", strings.ReplaceAll(h2024, "(kg)", "(lb)") + "2025-02-11 06:58:03,180,25.1,,,,,,,,,,,,,,,,,\n",
			[]core.Record{func() core.Record {
				r := rec("2025-02-11", "06:58:03", 180*core.KgPerLb)
				r.Unit, r.BMI = "lb", ft.P(25.1)
				return r
			}()}, 0},
		{"late 2025: BOM, split date and time, -- for missing", "\ufeffDate,Time,Weight(kg),BMI,Body Fat(%),Fat-Free Mass(kg),Subcutaneous Fat(%)\n2025.12.03,10:11:50,80.45,--,--,--,--\n",
			[]core.Record{rec("2025-12-03", "10:11:50", 80.45)}, 0},
		{"2022 spaced headers", "Time of Measurement,Weight (KG),BMI,Body Fat (%)\n2022-03-04 07:21:00,80.4,24.9,21.3\n",
			[]core.Record{func() core.Record {
				r := rec("2022-03-04", "07:21:00", 80.4)
				r.BMI, r.FatPct = ft.P(24.9), ft.P(21.3)
				return r
			}()}, 0},
		{"semicolons and decimal commas", "Time of Measurement;Weight(kg);BMI;Body Fat(%)\n2022-03-04 07:21:00;80,4;24,9;21,3\n",
			[]core.Record{func() core.Record {
				r := rec("2022-03-04", "07:21:00", 80.4)
				r.BMI, r.FatPct = ft.P(24.9), ft.P(21.3)
				return r
			}()}, 0},
		{"fat over 75 passes through", "Time of Measurement,Weight(kg),Body Fat(%)\n2022-03-04 07:21:00,0,80\n",
			[]core.Record{func() core.Record { r := rec("2022-03-04", "07:21:00", 0); r.FatPct = ft.P(80); return r }()}, 0},
		{"bad rows", "Time of Measurement,Weight(kg),Body Fat(%)\nnow,80,\n2022-03-04 07:21:00,--,\n2022-03-04 07:21:00,80,x\n", nil, 3},
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
	f.Add([]byte(h2024 + "2025-02-11 06:58:03,80.45,25.1,22.7,62.19,19.8,9,54.3,50.2,58.97,3.12,17.9,1702,38,,,,,Standard,\n"))
	f.Add([]byte("\ufeffDate,Time,Weight(lb),Fat-Free Mass(st),Metabolic Age\n2025.12.03,10:11:50,1e300,1e308,--\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ft.Fuzz(t, in, func(r io.Reader) core.Reader { return NewReader(r) }, bytes.NewReader(in))
	})
}
