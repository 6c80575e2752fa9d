package ihealth

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// BenchmarkDecodePage decodes a full page of 50 records, reporting its time as a ratio to a plain
// json.Unmarshal of the same body into generic maps, measured in the same run (the decoder's extra work: units,
// zones, zeros, validation).
func BenchmarkDecodePage(b *testing.B) {
	var recs []string
	for i := range PageLength {
		zone := []string{`"+0100"`, `"0100"`, `1`, `""`, `"-0800"`}[i%5]
		recs = append(recs, record(fmt.Sprintf("%032x", i), 1766996400+int64(i)*86400, `"TimeZone":`+zone))
	}
	body := []byte(page(UnitLb, "", recs...))
	b.SetBytes(int64(len(body)))
	var base time.Duration
	for range max(b.N/4, 1) {
		start := time.Now()
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
		base += time.Since(start)
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		p, err := DecodePage(body)
		if err != nil || len(p.Records) != PageLength {
			b.Fatalf("%v, %d records", err, len(p.Records))
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	perBase := float64(base) / float64(max(b.N/4, 1))
	b.ReportMetric(float64(elapsed)/float64(b.N)/perBase, "x-generic-unmarshal")
}
