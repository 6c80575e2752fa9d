package bodycsv

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/body"
)

// TestWriterInUnit writes the same weigh-ins in each unit: the header names the unit, the values convert, and
// reading the file back gives the stored kilograms (to a few units in the last place).
func TestWriterInUnit(t *testing.T) {
	ms := randomMeasurements(300)
	for i := range ms {
		// The reader finds over 700 implausible in any unit: keep every weight under 700 lb.
		ms[i].WeightKg = 10 + math.Mod(ms[i].WeightKg-10, 300)
	}
	kg := writeAll(t, ms)
	tests := []struct {
		unit   body.Unit
		header string
		first  string // the third weigh-in, 82.4 kg, as written
	}{
		{body.Kilograms, "weight_kg", "82.4"},
		{body.Pounds, "weight_lb", "181.66090404033912"},
		{body.Stone, "weight_st", "12.975778860024223"},
		{"furlongs", "weight_kg", "82.4"},
	}
	for _, tt := range tests {
		t.Run(string(tt.unit), func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriterIn(&buf, tt.unit)
			for _, m := range ms {
				if err := w.Write(m); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			want := strings.Join(Header, ",")
			want = strings.Replace(want, "weight_kg", tt.header, 1)
			recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if header := strings.Join(recs[0], ","); header != want {
				t.Errorf("header = %q, want %q", header, want)
			}
			if tt.header == "weight_kg" && !bytes.Equal(buf.Bytes(), kg) {
				t.Error("a kilogram export is not byte-identical to NewWriter's")
			}
			if third := recs[3][2]; third != tt.first {
				t.Errorf("82.4 kg written as %q, want %q", third, tt.first)
			}
			f, err := Read(bytes.NewReader(buf.Bytes()), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Rows) != len(ms) || len(f.Problems) != 0 {
				t.Fatalf("read back %d rows, %d problems; want %d rows", len(f.Rows), len(f.Problems), len(ms))
			}
			for i, r := range f.Rows {
				back := body.ToKg(r.Weight, unitOr(r.Unit, f.Unit))
				if math.Abs(back-ms[i].WeightKg) > 4*ulp(ms[i].WeightKg) {
					t.Fatalf("row %d: %v kg came back as %v kg", i, ms[i].WeightKg, back)
				}
			}
		})
	}
}

func unitOr(u, fallback body.Unit) body.Unit {
	if u != "" {
		return u
	}
	return fallback
}

func ulp(x float64) float64 { return math.Nextafter(x, math.Inf(1)) - x }

func TestWriterInUnitEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := NewWriterIn(&buf, body.Stone).Flush(); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "date,time,weight_st,bmi,fat_pct,source,provider,external_id\n" {
		t.Errorf("empty export = %q", got)
	}
}
