package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"testing"
)

// FuzzSniff: Sniff never panics, and whatever it recognises opens (or says it is read elsewhere); SniffZip
// on whatever zip.NewReader accepts never panics either.
func FuzzSniff(f *testing.F) {
	f.Add([]byte(appleXML))
	f.Add([]byte(withingsCSV))
	f.Add([]byte(bioJSON))
	f.Add([]byte("com.samsung.health.weight,1,2\nstart_time,weight,time_offset\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		format, err := Sniff(in)
		if err != nil {
			if !errors.Is(err, ErrUnknownFormat) {
				t.Fatalf("err %v does not wrap ErrUnknownFormat", err)
			}
			if len(err.Error()) > 160 {
				t.Fatalf("message of %d bytes", len(err.Error()))
			}
			return
		}
		if format == Zip {
			if zr, err := zip.NewReader(bytes.NewReader(in), int64(len(in))); err == nil {
				SniffZip(zr)
			}
			return
		}
		if _, err := Open(format, bytes.NewReader(in)); err != nil && !errors.Is(err, ErrOtherReader) {
			t.Fatalf("%s sniffed but Open says %v", format.ID, err)
		}
	})
}
