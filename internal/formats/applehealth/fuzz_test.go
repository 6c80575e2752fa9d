package applehealth

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
)

func FuzzReader(f *testing.F) {
	f.Add(doc(rec(typeMass, "ScaleApp", "kg", t1, "81.3") + rec(typeFat, "ScaleApp", "%", t1, "0.2")))
	f.Add(doc(rec(typeHeight, "H", "ft", t1, "5.5") + rec(typeLean, "H", "st", t1, "9")))
	f.Add(prolog + "<Record type=\"HKQuantityTypeIdentifierBodyMass\" value='1e400'")
	f.Add("<HealthData><Record type='HKQuantityTypeIdentifierBodyMassIndex' value='-0' startDate='2024-01-01 00:00:00 +9999'/></HealthData>")
	f.Fuzz(func(t *testing.T, in string) {
		for _, size := range []int{bufSize, 64} {
			r := NewReader(strings.NewReader(in))
			r.bufSize = size
			for i := 0; ; i++ {
				if i > len(in)+10 {
					t.Fatal("more records than bytes")
				}
				rec, err := r.Next()
				var re *core.RowError
				if errors.As(err, &re) {
					continue
				}
				if err != nil {
					if err != io.EOF && !errors.Is(err, core.ErrTruncated) && !errors.Is(err, core.ErrMalformed) &&
						!errors.Is(err, core.ErrUnknownFormat) && !errors.Is(err, core.ErrLimit) {
						t.Fatalf("unclassified error %v", err)
					}
					break
				}
				if err := core.Check(rec); err != nil {
					t.Fatalf("record %+v: %v", rec, err)
				}
			}
		}
	})
}
