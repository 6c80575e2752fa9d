package importer

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
)

// tenYears is a generated 10-year history of about 5,000 weigh-ins: the emulator's mornings plus an evening
// weigh-in on most days, as a keen Aria owner would have.
func tenYears() []emulator.WeightLog {
	base := history(10)
	out := make([]emulator.WeightLog, 0, 2*len(base))
	for i, l := range base {
		out = append(out, l)
		if hour, _ := strconv.Atoi(l.Time[:2]); i%5 != 0 && hour < 12 {
			e := l
			e.Time = fmt.Sprintf("%02d%s", hour+12, l.Time[2:]) // the same evening
			e.LogID += 12 * 3600 * 1000
			e.WeightKg += 0.6
			out = append(out, e)
		}
	}
	return out
}

// decodeOnly is the baseline: read every JSON file of the zip into generic records, nothing else.
func decodeOnly(tb testing.TB, data []byte) int {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		var recs []map[string]any
		if err := json.Unmarshal(b, &recs); err != nil {
			tb.Fatal(err)
		}
		n += len(recs)
	}
	return n
}

// BenchmarkImport10Years imports a generated 10-year Takeout export into an empty database and reports the time
// per import and its ratio to decoding the same JSON files in the same run (goal: under 1 s and under 3x).
func BenchmarkImport10Years(b *testing.B) {
	logs := tenYears()
	data := exportZip(b, logs, emulator.ExportOptions{Layout: emulator.LayoutTakeout, Pounds: true})
	var decoding, importing time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := mustOpen(b)
		b.StartTimer()

		start := time.Now()
		if n := decodeOnly(b, data); n != len(logs) {
			b.Fatalf("decoded %d records, want %d", n, len(logs))
		}
		decoding += time.Since(start)

		start = time.Now()
		sum, err := Import(b.Context(), db, bytes.NewReader(data), int64(len(data)), Options{})
		if err != nil || sum.Added != len(logs) {
			b.Fatalf("import: %v, %d added of %d", err, sum.Added, len(logs))
		}
		importing += time.Since(start)
	}
	b.ReportMetric(float64(len(logs)), "weigh-ins")
	b.ReportMetric(importing.Seconds()/float64(b.N), "s/import")
	b.ReportMetric(float64(importing)/float64(decoding), "import/decode")
}
