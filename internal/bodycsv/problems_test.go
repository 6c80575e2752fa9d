package bodycsv

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadProblems(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name, header, cells, want string // want: a piece of the problem's message
	}{
		{"ImpossibleDate", "date,weight", "2023-02-30,80", `date "2023-02-30" does not exist`},
		{"NotADate", "date,weight", "yesterday,80", `date "yesterday" is not`},
		{"TwoDigitYear", "date,weight", "01.03.24,80", "is not YYYY-MM-DD"},
		{"EmptyDate", "date,weight", ",80", "date is empty"},
		{"DateBeforeTime", "datetime,weight", "2023-02-30 25:00,80", `date "2023-02-30" does not exist`},
		{"BadTime", "date,time,weight", "2024-03-01,25:00,80", `time "25:00" does not exist`},
		{"BadClockInDatetime", "datetime,weight", "2024-03-01T7h30,80", `time "7h30" is not`},
		{"EmptyWeight", "date,weight", "2024-03-01,", "weight is empty"},
		{"ZeroWeight", "date,weight", "2024-03-01,0", "not a plausible body weight"},
		{"NegativeWeight", "date,weight", "2024-03-01,-80", "not a plausible body weight"},
		{"NaNWeight", "date,weight", "2024-03-01,NaN", `weight "NaN" is not a number`},
		{"InfWeight", "date,weight", "2024-03-01,Inf", "is not a number"},
		{"OverflowWeight", "date,weight", "2024-03-01,1e999", "is not a number"},
		{"HexWeight", "date,weight", "2024-03-01,0x50", "is not a number"},
		{"AbsurdWeight", "date,weight", "2024-03-01,700.5", "not a plausible body weight"},
		{"AbsurdPounds", "date,weight_lb", "2024-03-01,701", "not a plausible body weight"},
		{"UnderTenKg", "date,weight_kg", "2024-03-01,9.9", "not a plausible body weight"},
		{"UnderTenKgInPounds", "date,weight_lb", "2024-03-01,22", "not a plausible body weight"},
		{"UnderTenKgInStone", "date,weight,unit", "2024-03-01,1.5,st", "not a plausible body weight"},
		{"UnderTenKgAsStone", "date,weight", "2024-03-01,1.5", "not a plausible body weight"},
		{"DecimalCommaInCommaFile", "date,weight", `2024-03-01,"82,4"`, `weight "82,4" is not a number`},
		{"UnknownUnitColumn", "date,weight,unit", "2024-03-01,80,furlongs", `unit "furlongs" is not kg, lb or st`},
		{"UnknownUnitInCell", "date,weight", "2024-03-01,80 furlongs", "unknown unit"},
		{"FatOver100", "date,weight,fat", "2024-03-01,80,101", "body fat 101% is outside 0 to 100"},
		{"FatNegative", "date,weight,fat", "2024-03-01,80,-1", "body fat -1% is outside"},
		{"FatNotNumber", "date,weight,fat", "2024-03-01,80,lots", `body fat "lots" is not a number`},
		{"BMIUnder5", "date,weight,bmi", "2024-03-01,80,4.9", "BMI 4.9 is outside 5 to 150"},
		{"BMIOver150", "date,weight,bmi", "2024-03-01,80,151", "BMI 151 is outside"},
		{"MalformedQuote", "date,weight", `2024-03-01,8"0`, "malformed CSV"},
		{"LongCellQuotedShort", "date,weight", "2024-03-01," + long, `weight "` + strings.Repeat("x", 40) + `…" is not a number`},
		{"OwnFieldCount", strings.Join(Header, ","), "2024-03-01,07:30:00,80,,,Aria,fitbit", "row has 7 fields, want 8"},
		{"OwnStrictDate", strings.Join(Header, ","), "01.03.2024,07:30:00,80,,,Aria,fitbit,1", `date "01.03.2024" is not a real date`},
		{"OwnStrictTime", strings.Join(Header, ","), "2024-03-01,7:30,80,,,Aria,fitbit,1", `time "7:30" is not a real time`},
		{"OwnNoDash", strings.Join(Header, ","), "2024-03-01,07:30:00,80,-,,Aria,fitbit,1", `BMI "-" is not a number`},
		{"OwnImplausible", strings.Join(Header, ","), "2024-03-01,07:30:00,9,,,Aria,fitbit,1", "not a plausible body weight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A good row on each side shows that one bad row costs only itself.
			in := fmt.Sprintf("%s\n%s\n%s\n%s\n", tt.header, good(tt.header, "2024-02-29"), tt.cells, good(tt.header, "2024-03-02"))
			f := mustRead(t, in)
			if len(f.Rows) != 2 || f.Rows[0].Line != 2 || f.Rows[1].Line != 4 {
				t.Errorf("rows = %+v, want lines 2 and 4", f.Rows)
			}
			if len(f.Problems) != 1 {
				t.Fatalf("problems = %v, want one", f.Problems)
			}
			p := f.Problems[0]
			if p.Line != 3 || !strings.Contains(p.Err.Error(), tt.want) {
				t.Errorf("problem = line %d %q, want line 3 containing %q", p.Line, p.Err, tt.want)
			}
			if got, want := p.Error(), "bodycsv: line 3: "+p.Err.Error(); got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if n := utf8.RuneCountInString(p.Err.Error()); n > 100 {
				t.Errorf("message is %d characters long: %q", n, p.Err)
			}
		})
	}
}

// good returns a valid row for header dated date.
func good(header, date string) string {
	switch {
	case header == strings.Join(Header, ","):
		return date + ",07:00:00,80,,,Aria,fitbit,x" + date
	case strings.HasPrefix(header, "date,time,"):
		return date + ",07:00,80"
	}
	cells := []string{date, "80"}
	for range strings.Count(header, ",") - 1 {
		cells = append(cells, "")
	}
	return strings.Join(cells, ",")
}

func TestReadNotCSV(t *testing.T) {
	tests := []struct{ name, in string }{
		{"Empty", ""},
		{"OnlyBOM", "\ufeff"},
		{"BlankLines", "\n\n\n"},
		{"Prose", "Hello, this is not a table.\nReally not.\n"},
		{"JSON", `{"weight": [{"date": "2024-03-01", "weight": 80}]}`},
		{"Binary", "\x00\x01\x02\xff\xfe\"\x00,\n\x89PNG"},
		{"NoWeight", "date,fat,bmi\n2024-03-01,20,24\n"},
		{"NoDate", "time,weight\n07:30,80\n"},
		{"FatMassOnly", "date,fat mass (kg)\n2024-03-01,20\n"},
		{"DataFirst", "2024-03-01,80\n2024-03-02,80\n"},
		{"BrokenHeaderQuote", "\"date,weight\n2024-03-01,80\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(tt.in), Limits{})
			if !errors.Is(err, ErrNotCSV) {
				t.Fatalf("err = %v, want ErrNotCSV", err)
			}
			if f.Format != 0 || f.Rows != nil {
				t.Errorf("file = %+v, want zero", f)
			}
		})
	}
}

func TestReadLimits(t *testing.T) {
	in := "date,weight\n2024-03-01,80\n2024-03-02,81\n2024-03-03,82\n"
	tests := []struct {
		name    string
		lim     Limits
		wantErr bool
	}{
		{"Defaults", Limits{}, false},
		{"NegativeMeansDefault", Limits{MaxBytes: -1, MaxRows: -1}, false},
		{"BytesExactlyEnough", Limits{MaxBytes: int64(len(in))}, false},
		{"BytesOneShort", Limits{MaxBytes: int64(len(in)) - 1}, true},
		{"BytesInHeader", Limits{MaxBytes: 5}, true},
		{"RowsExactlyEnough", Limits{MaxRows: 3}, false},
		{"RowsOneShort", Limits{MaxRows: 2}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(in), tt.lim)
			if tt.wantErr {
				if !errors.Is(err, ErrLimit) {
					t.Errorf("err = %v, want ErrLimit", err)
				}
				return
			}
			if err != nil || len(f.Rows) != 3 {
				t.Errorf("got %d rows, %v; want 3 rows", len(f.Rows), err)
			}
		})
	}
}

// TestReadRowLimitCountsBadRows: a file of bad rows cannot dodge the row limit.
func TestReadRowLimitCountsBadRows(t *testing.T) {
	in := "date,weight\n" + strings.Repeat("bad,\n", 11)
	if _, err := Read(strings.NewReader(in), Limits{MaxRows: 10}); !errors.Is(err, ErrLimit) {
		t.Errorf("err = %v, want ErrLimit", err)
	}
}

type failingReader struct{ after io.Reader }

func (r *failingReader) Read(p []byte) (int, error) {
	n, err := r.after.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func TestReadPassesReadErrors(t *testing.T) {
	for _, in := range []string{"", "date,weight\n", "date,weight\n2024-03-01,80\n"} {
		_, err := Read(&failingReader{strings.NewReader(in)}, Limits{})
		if err == nil || !strings.Contains(err.Error(), "disk on fire") || errors.Is(err, ErrLimit) || errors.Is(err, ErrNotCSV) {
			t.Errorf("Read(%q) err = %v, want the read error", in, err)
		}
	}
}
