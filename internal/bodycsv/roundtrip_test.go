package bodycsv

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/store"
)

// sources holds what the writer must quote: commas, quotes, leading spaces, newlines, non-ASCII.
var sources = []string{"Aria", "API", "Web", "", "import", `Web, "manual"`, `a "quoted" source`, " leading space",
	"trailing space ", "two\nlines", "Waage ü", "tab\there", `\.`, ",", `"`}

// randomMeasurements returns n measurements with weights of full precision and a fixed seed, so a failure repeats.
func randomMeasurements(n int) []store.Measurement {
	r := rand.New(rand.NewPCG(1, 2))
	opt := func(lo, span float64) *float64 {
		if r.IntN(3) == 0 {
			return nil
		}
		v := lo + r.Float64()*span
		return &v
	}
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := make([]store.Measurement, n)
	for i := range ms {
		ms[i] = store.Measurement{
			Provider:   []string{"fitbit", "fitbit-oauth1", "google-health", "import"}[r.IntN(4)],
			ExternalID: strconv.FormatUint(r.Uint64(), 10),
			Date:       start.AddDate(0, 0, r.IntN(11000)).Format(time.DateOnly),
			Time:       fmt.Sprintf("%02d:%02d:%02d", r.IntN(24), r.IntN(60), r.IntN(60)),
			WeightKg:   10 + r.Float64()*690,
			FatPct:     opt(0, 100),
			BMI:        opt(5, 145),
			Source:     sources[r.IntN(len(sources))],
		}
	}
	// Values at the edges of what Read accepts, and short decimals as scales write them.
	ms[0].WeightKg, ms[0].FatPct, ms[0].BMI = 10, ptr(0), ptr(5)
	ms[1].WeightKg, ms[1].FatPct, ms[1].BMI = 700, ptr(100), ptr(150)
	ms[2].WeightKg, ms[2].FatPct, ms[2].BMI = 82.4, ptr(22.5), ptr(24.1)
	ms[3].WeightKg = math.Nextafter(80, 81)
	ms[4].ExternalID = `import:a,b"c`
	return ms
}

func writeAll(t *testing.T, ms []store.Measurement) []byte {
	t.Helper()
	b, err := exportCSV(ms)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func exportCSV(ms []store.Measurement) ([]byte, error) {
	var b bytes.Buffer
	w := NewWriter(&b)
	for _, m := range ms {
		if err := w.Write(m); err != nil {
			return nil, err
		}
	}
	err := w.Flush()
	return b.Bytes(), err
}

func toMeasurements(rows []Row) []store.Measurement {
	ms := make([]store.Measurement, len(rows))
	for i, r := range rows {
		ms[i] = store.Measurement{Provider: r.Provider, ExternalID: r.ExternalID, Date: r.Date, Time: r.Time,
			WeightKg: body.ToKg(r.Weight, r.Unit), FatPct: r.FatPct, BMI: r.BMI, Source: r.Source}
	}
	return ms
}

func TestRoundTrip(t *testing.T) {
	ms := randomMeasurements(2000)
	exported := writeAll(t, ms)
	f, err := Read(bytes.NewReader(exported), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != FormatOwn || f.Unit != body.Kilograms || len(f.Problems) > 0 {
		t.Fatalf("format %v, unit %q, problems %v; want own, kg, none", f.Format, f.Unit, f.Problems)
	}
	if len(f.Rows) != len(ms) {
		t.Fatalf("got %d rows, want %d", len(f.Rows), len(ms))
	}
	line := 2
	for i, m := range ms {
		r := f.Rows[i]
		if r.Unit != body.Kilograms || r.Line != line {
			t.Errorf("row %d: unit %q line %d, want kg line %d", i, r.Unit, r.Line, line)
		}
		line += 1 + strings.Count(m.Source, "\n")
		got := toMeasurements([]Row{r})[0]
		if got.Date != m.Date || got.Time != m.Time || got.Source != m.Source || got.Provider != m.Provider ||
			got.ExternalID != m.ExternalID {
			t.Errorf("row %d: got %+v, want %+v", i, got, m)
		}
		if math.Float64bits(got.WeightKg) != math.Float64bits(m.WeightKg) {
			t.Errorf("row %d: weight %v, want %v", i, got.WeightKg, m.WeightKg)
		}
		if !sameOptional(got.FatPct, m.FatPct) || !sameOptional(got.BMI, m.BMI) {
			t.Errorf("row %d: fat %v bmi %v, want %v %v", i, show(got.FatPct), show(got.BMI), show(m.FatPct), show(m.BMI))
		}
	}
	if again := writeAll(t, toMeasurements(f.Rows)); !bytes.Equal(again, exported) {
		t.Errorf("writing the rows read gave different bytes:\n%.300s\nwant\n%.300s", again, exported)
	}
}

func TestRoundTripEmptyExport(t *testing.T) {
	f, err := Read(bytes.NewReader(writeAll(t, nil)), Limits{})
	if err != nil || f.Format != FormatOwn || len(f.Rows) != 0 || len(f.Problems) != 0 {
		t.Errorf("got %+v, %v; want an own-format file with no rows", f, err)
	}
}

// sameOptional compares bit for bit: a value that reads back merely close is a failure.
func sameOptional(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Float64bits(*a) == math.Float64bits(*b)
}

func show(v *float64) string {
	if v == nil {
		return "nil"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// TestFormulaLabelsStayText: a source label a spreadsheet would run as a formula is written as text, and read
// back as it was.
func TestFormulaLabelsStayText(t *testing.T) {
	for _, label := range []string{"=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "Aria", "'=quoted already"} {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		if err := w.Write(store.Measurement{Date: "2026-11-30", Time: "07:00:00", WeightKg: 80, Source: label, Provider: "api", ExternalID: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if cell := strings.Split(strings.Split(buf.String(), "\n")[1], ",")[5]; strings.ContainsRune("=+-@", rune(strings.Trim(cell, `"`)[0])) {
			t.Errorf("label %q written as %q: a spreadsheet would run it", label, cell)
		}
		f, err := Read(strings.NewReader(buf.String()), Limits{})
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Source != label {
			t.Errorf("label %q read back as %+v, %v", label, f.Rows, err)
		}
	}
}
