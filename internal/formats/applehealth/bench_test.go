package applehealth

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/formats/applehealth/ahgen"
)

// BenchmarkZip reads a 32 MB synthetic export out of its zip and reports the time against inflating the
// same entry (io.Copy to io.Discard) measured in the same run; cmd/importbench does the same at 100 MB and 1 GB.
func BenchmarkZip(b *testing.B) {
	var buf bytes.Buffer
	st, err := ahgen.WriteZip(&buf, 32<<20)
	if err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		b.Fatal(err)
	}
	var inflate, read time.Duration
	b.SetBytes(st.XMLBytes)
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		rc, _ := zr.File[1].Open()
		io.Copy(io.Discard, rc)
		rc.Close()
		t1 := time.Now()
		z, err := OpenZip(zr)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := z.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
			n++
		}
		z.Close()
		read += time.Since(t1)
		inflate += t1.Sub(t0)
		if int64(n) != st.WeighIns {
			b.Fatalf("read %d weigh-ins, wrote %d", n, st.WeighIns)
		}
	}
	b.ReportMetric(float64(read)/float64(inflate), "read/inflate")
}
