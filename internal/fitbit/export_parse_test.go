package fitbit

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseExportDate(t *testing.T) {
	tests := []struct {
		in, want string // want "" means an error
	}{
		{"08/08/22", "2022-08-08"},
		{"8/8/22", "2022-08-08"},
		{"12/31/99", "2099-12-31"}, // two-digit years are 20YY, never 19YY
		{"01/05/09", "2009-01-05"},
		{"08/08/2022", "2022-08-08"},
		{"2022-08-08", "2022-08-08"},
		{" 2022-08-08 ", "2022-08-08"},
		{"02/29/24", "2024-02-29"},
		{"02/30/22", ""},
		{"02/29/23", ""},
		{"13/01/22", ""},
		{"2022-02-30", ""},
		{"2022/08/08", ""},
		{"08/08/202", ""},
		{"08-08-22", ""},
		{"01/01/1899", ""},
		{"0000-01-01", ""},
		{"", ""},
		{"yesterday", ""},
	}
	for _, tt := range tests {
		got, err := parseExportDate(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseExportDate(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseExportDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseWeightRecord(t *testing.T) {
	tests := []struct {
		name, in string
		want     ExportLog
		err      string // part of the problem text, when the record is skipped
	}{
		{"Full", `{"logId":1659948335000,"weight":165.8,"bmi":25.13,"fat":18.763,"date":"08/08/22","time":"08:45:35","source":"Aria"}`,
			ExportLog{LogID: 1659948335000, Date: "2022-08-08", Time: "08:45:35", Weight: 165.8, BMI: ptr(25.13), Fat: ptr(18.763), Source: "Aria"}, ""},
		{"Minimal", `{"weight":70,"date":"08/08/22"}`, ExportLog{Date: "2022-08-08", Time: "23:59:59", Weight: 70}, ""},
		{"EmptyTime", `{"weight":70,"date":"08/08/22","time":""}`, ExportLog{Date: "2022-08-08", Time: "23:59:59", Weight: 70}, ""},
		{"ShortTime", `{"weight":70,"date":"08/08/22","time":"7:05"}`, ExportLog{Date: "2022-08-08", Time: "07:05:00", Weight: 70}, ""},
		{"ZeroFatAndBMI", `{"weight":70,"date":"08/08/22","fat":0,"bmi":0}`, ExportLog{Date: "2022-08-08", Time: "23:59:59", Weight: 70}, ""},
		{"Nulls", `{"logId":null,"weight":70,"date":"08/08/22","fat":null,"source":null,"time":null}`, ExportLog{Date: "2022-08-08", Time: "23:59:59", Weight: 70}, ""},
		{"Strings", `{"logId":"1659948335000","weight":"165.8","fat":"18.5","date":"08/08/22"}`,
			ExportLog{LogID: 1659948335000, Date: "2022-08-08", Time: "23:59:59", Weight: 165.8, Fat: ptr(18.5)}, ""},
		{"ExponentLogID", `{"logId":1.659948335e12,"weight":70,"date":"08/08/22"}`, ExportLog{LogID: 1659948335000, Date: "2022-08-08", Time: "23:59:59", Weight: 70}, ""},
		{"BigLogID", `{"logId":9007199254740993,"weight":70,"date":"08/08/22"}`, ExportLog{LogID: 9007199254740993, Date: "2022-08-08", Time: "23:59:59", Weight: 70}, ""},
		{"ExtraFields", `{"weight":70,"date":"08/08/22","note":"x"}`, ExportLog{Date: "2022-08-08", Time: "23:59:59", Weight: 70}, ""},

		{"NoWeight", `{"date":"08/08/22"}`, ExportLog{}, "no weight"},
		{"ZeroWeight", `{"weight":0,"date":"08/08/22"}`, ExportLog{}, "weight 0 is out of range"},
		{"NegativeWeight", `{"weight":-70,"date":"08/08/22"}`, ExportLog{}, "weight -70 is out of range"},
		{"HugeWeight", `{"weight":1e300,"date":"08/08/22"}`, ExportLog{}, "out of range"},
		{"NaNWeight", `{"weight":"NaN","date":"08/08/22"}`, ExportLog{}, `weight "NaN" is not a number`},
		{"InfWeight", `{"weight":"+Inf","date":"08/08/22"}`, ExportLog{}, "is not a number"},
		{"WeightObject", `{"weight":{"kg":70},"date":"08/08/22"}`, ExportLog{}, "weight is not a number"},
		{"NoDate", `{"weight":70}`, ExportLog{}, "no date"},
		{"ImpossibleDate", `{"weight":70,"date":"02/30/22"}`, ExportLog{}, `date "02/30/22" is not a real date`},
		{"DateNumber", `{"weight":70,"date":20220808}`, ExportLog{}, "date is not a string"},
		{"BadTime", `{"weight":70,"date":"08/08/22","time":"25:00:00"}`, ExportLog{}, `time "25:00:00" is not a time of day`},
		{"NegativeFat", `{"weight":70,"date":"08/08/22","fat":-1}`, ExportLog{}, "fat -1 is out of range"},
		{"FatOver100", `{"weight":70,"date":"08/08/22","fat":100}`, ExportLog{}, "fat 100 is out of range"},
		{"HugeBMI", `{"weight":70,"date":"08/08/22","bmi":400}`, ExportLog{}, "bmi 400 is out of range"},
		{"NegativeLogID", `{"logId":-5,"weight":70,"date":"08/08/22"}`, ExportLog{}, "logId -5 is negative"},
		{"FractionLogID", `{"logId":1.5,"weight":70,"date":"08/08/22"}`, ExportLog{}, "not a record number"},
		{"SourceNumber", `{"weight":70,"date":"08/08/22","source":7}`, ExportLog{}, "source is not a string"},
		{"LongSource", `{"weight":70,"date":"08/08/22","source":"` + strings.Repeat("A", 65) + `"}`, ExportLog{}, "source is too long"},
		{"Array", `[70]`, ExportLog{}, "not an object"},
		{"Null", `null`, ExportLog{}, "not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs, err := parseWeightFile([]byte("[" + tt.in + "]"))
			if tt.err != "" {
				if len(logs) != 0 || !errors.Is(err, ErrExportRecords) || !strings.Contains(err.Error(), "(record 1: ") || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("got %+v, %v; want the record skipped: %q", logs, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]ExportLog{tt.want}, logs); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseWeightFileShapes(t *testing.T) {
	tests := []struct {
		name, in string
		logs     int
		err      error
	}{
		{"Empty", `[]`, 0, nil},
		{"Null", `null`, 0, nil},
		{"BOM", "\xef\xbb\xbf[{\"weight\":70,\"date\":\"08/08/22\"}]", 1, nil},
		{"APIAnswer", `{"weight":[{"weight":70,"date":"2022-08-08","time":"07:00:00"}]}`, 1, nil},
		{"Object", `{"logs":[]}`, 0, ErrExportFile},
		{"Number", `7`, 0, ErrExportFile},
		{"Truncated", `[{"weight":70,`, 0, ErrExportFile},
		{"Blank", ``, 0, ErrExportFile},
		{"Text", `weight,date\n70,08/08/22`, 0, ErrExportFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs, err := parseWeightFile([]byte(tt.in))
			if len(logs) != tt.logs || !errors.Is(err, tt.err) {
				t.Errorf("got %d logs, %v; want %d, %v", len(logs), err, tt.logs, tt.err)
			}
		})
	}
}

func TestParseWeightFileQuotesLittle(t *testing.T) {
	// A hostile file must not get its content into messages: at most 40 characters of any value.
	long := strings.Repeat("x", 500)
	_, err := parseWeightFile([]byte(`[{"weight":70,"date":"` + long + `"},{"weight":"` + long + `","date":"08/08/22"}]`))
	if err == nil {
		t.Fatal("want a problem")
	}
	if strings.Contains(err.Error(), strings.Repeat("x", 41)) {
		t.Errorf("problem quotes more than 40 characters: %q", err)
	}
	if !strings.Contains(err.Error(), "skipped records: 2 of 2 (") {
		t.Errorf("problem = %q, want the count", err)
	}
}

func TestParseHeightFile(t *testing.T) {
	hs, err := parseHeightFile([]byte(`[
		{"dateTime":"08/01/22 00:00:00","value":"1778"},
		{"dateTime":"2023-01-01T10:00:00","value":1780.5},
		{"dateTime":"02/30/22 00:00:00","value":"1778"},
		{"dateTime":"08/01/22 99:00:00","value":"1778"},
		{"dateTime":"08/01/22","value":"0"},
		{"dateTime":"08/01/22","value":"tall"},
		{"value":"1778"}]`))
	want := []ExportHeight{{Date: "2022-08-01", Value: 1778}, {Date: "2023-01-01", Value: 1780.5}}
	if diff := cmp.Diff(want, hs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrExportRecords) || !strings.Contains(err.Error(), "skipped records: 5 of 7 (") {
		t.Errorf("err = %v, want 5 of 7 skipped", err)
	}
}
