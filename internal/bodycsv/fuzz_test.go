package bodycsv

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzRead checks that no input panics, that Read fails only with its own sentinels, and that every row it
// returns passes checkRow. With `go test` it runs the seeds only; `go test -fuzz FuzzRead` explores.
func FuzzRead(f *testing.F) {
	export, err := exportCSV(randomMeasurements(20))
	if err != nil {
		f.Fatal(err)
	}
	seeds := []string{
		"",
		"\ufeff",
		string(export),
		strings.Join(Header, ",") + "\n2024-03-01,,80,,,,,\n2024-02-30,07:30:00,NaN,-,x,\"a\"\"b\",p,e\n",
		"date,weight\n2024-03-01,80\n",
		"sep=;\nDatum;Weight (kg);Body Fat %\n2024-03-01 07:30;82,4;22,5 %\n01.03.2024;82,4;\n",
		"Timestamp\tWeight (lbs)\tBMI\n2024-03-01T07:30:00Z\t181.2\t24.1\n2024-03-01T07:30:00+01:00\t181 lb\t\n",
		"date,weight\n03/04/2024,80\n13/04/2024,80\n",
		"date,weight\n03/04/2024,80\n04/13/2024,80\n",
		"date,weight\n03/04/2024,80\n",
		"date,weight,unit\n2024/03/04,80,kg\n2024/03/05,12.5,st\n2024/03/06,5,\n2024-3-7,x\n\"bad,80\n",
		"date,time,weight,fat,bmi\n2024-03-01,12:00 AM,1e3,101,4\n2024-03-01,7:30pm,0x50,-1,151\n",
		"date,weight\n00/00/2024,80\n99/99/9999,80\n0000-01-01,80\n",
		"date;weight\n2024-03-01;1,5e1\n2024-03-01;,\n",
		"datetime,weight\n2024-03-01T,80\n2024-03-01 -05:00,80\n T,80\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read(bytes.NewReader(data), Limits{MaxBytes: 1 << 16, MaxRows: 500})
		if err != nil {
			if !errors.Is(err, ErrNotCSV) && !errors.Is(err, ErrLimit) && !errors.Is(err, ErrAmbiguousDates) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if file.Format != FormatOwn && file.Format != FormatGeneric {
			t.Fatalf("format = %v", file.Format)
		}
		last := 0
		for _, r := range file.Rows {
			if err := checkRow(r); err != nil {
				t.Fatalf("row %+v: %v", r, err)
			}
			if r.Line <= last {
				t.Fatalf("row line %d after %d", r.Line, last)
			}
			last = r.Line
		}
		last = 0
		for _, p := range file.Problems {
			if p.Err == nil || p.Line < 1 || p.Line < last {
				t.Fatalf("problem %+v after line %d", p, last)
			}
			last = p.Line
		}
		if file.Format == FormatOwn {
			rewrite(t, file)
		}
	})
}

// rewrite checks that own-format rows written again read back the same. encoding/csv reads "\r\n" inside a
// quoted field as "\n", so rows holding one are left out.
func rewrite(t *testing.T, file File) {
	var rows []Row
	for _, r := range file.Rows {
		if !strings.Contains(r.Source+r.Provider+r.ExternalID, "\r\n") {
			rows = append(rows, r)
		}
	}
	again, err := Read(bytes.NewReader(writeAll(t, toMeasurements(rows))), Limits{})
	if err != nil || len(again.Rows) != len(rows) || len(again.Problems) > 0 {
		t.Fatalf("rewritten: %d rows, problems %v, err %v; want %d rows", len(again.Rows), again.Problems, err, len(rows))
	}
	for i, r := range again.Rows {
		want := rows[i]
		if r.Date != want.Date || r.Time != want.Time || r.Weight != want.Weight || !sameOptional(r.FatPct, want.FatPct) ||
			!sameOptional(r.BMI, want.BMI) || r.Source != want.Source || r.Provider != want.Provider || r.ExternalID != want.ExternalID {
			t.Fatalf("rewritten row %+v, want %+v", r, want)
		}
	}
}
