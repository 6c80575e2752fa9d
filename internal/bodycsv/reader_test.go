package bodycsv

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bodystats/bodystats/internal/body"
)

func ptr(v float64) *float64 { return &v }

// mustRead reads in with default limits and fails the test on an error.
func mustRead(t *testing.T, in string) File {
	t.Helper()
	f, err := Read(strings.NewReader(in), Limits{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return f
}

// day is the row most tests expect: 2024-03-01 with no time.
func day(line int, w float64, u body.Unit) Row {
	return Row{Line: line, Date: "2024-03-01", Time: "00:00:00", Weight: w, Unit: u}
}

func TestReadHeaders(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		format Format
		unit   body.Unit
		row    Row
	}{
		{"Own", "date,time,weight_kg,bmi,fat_pct,source,provider,external_id\n2024-03-01,07:30:00,82.4,24.1,22.5,Aria,fitbit,123\n",
			FormatOwn, body.Kilograms,
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:00", Weight: 82.4, Unit: body.Kilograms, BMI: ptr(24.1), FatPct: ptr(22.5),
				Source: "Aria", Provider: "fitbit", ExternalID: "123"}},
		{"OwnWithBOM", "\ufeffdate,time,weight_kg,bmi,fat_pct,source,provider,external_id\n2024-03-01,,80,,,,,\n",
			FormatOwn, body.Kilograms, day(2, 80, body.Kilograms)},
		{"OwnColumnsReordered", "time,date,weight_kg,bmi,fat_pct,source,provider,external_id\n07:30,2024-03-01,80,,,Web,fitbit,9\n",
			FormatGeneric, body.Kilograms,
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:00", Weight: 80, Unit: body.Kilograms, Source: "Web"}},
		{"OwnHeaderSemicolons", "date;time;weight_kg;bmi;fat_pct;source;provider;external_id\n2024-03-01;;80,5;;;;fitbit;1\n",
			FormatGeneric, body.Kilograms, day(2, 80.5, body.Kilograms)},
		{"Plain", "date,weight\n2024-03-01,80.5\n", FormatGeneric, "", day(2, 80.5, "")},
		{"CaseAndKg", "DATE,Weight (kg)\n2024-03-01,80.5\n", FormatGeneric, body.Kilograms, day(2, 80.5, body.Kilograms)},
		{"Day", "Day,weight\n2024-03-01,80\n", FormatGeneric, "", day(2, 80, "")},
		{"Lbs", "date,Weight (lbs)\n2024-03-01,180\n", FormatGeneric, body.Pounds, day(2, 180, body.Pounds)},
		{"UnderscoreLb", "date,weight_lb\n2024-03-01,180\n", FormatGeneric, body.Pounds, day(2, 180, body.Pounds)},
		{"BracketStone", "date,weight [st]\n2024-03-01,12.5\n", FormatGeneric, body.Stone, day(2, 12.5, body.Stone)},
		{"WeightInKg", "date,Weight in kg\n2024-03-01,80\n", FormatGeneric, body.Kilograms, day(2, 80, body.Kilograms)},
		{"BareUnit", "date,kg\n2024-03-01,80\n", FormatGeneric, body.Kilograms, day(2, 80, body.Kilograms)},
		{"BodyWeight", "date,Body Weight\n2024-03-01,80\n", FormatGeneric, "", day(2, 80, "")},
		{"Bodyweight", "date,bodyweight\n2024-03-01,80\n", FormatGeneric, "", day(2, 80, "")},
		{"QuotedHeader", "\"Date\",\"Weight (kg)\"\n\"2024-03-01\",\"80\"\n", FormatGeneric, body.Kilograms, day(2, 80, body.Kilograms)},
		{"FirstWeightWins", "date,weight (kg),weight (lb)\n2024-03-01,80,176\n", FormatGeneric, body.Kilograms, day(2, 80, body.Kilograms)},
		{"AllColumns", "Date,Time,Weight,Body Fat %,BMI,Source\n2024-03-01,07:30,80,22.5,24.5,Aria\n", FormatGeneric, "",
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:00", Weight: 80, FatPct: ptr(22.5), BMI: ptr(24.5), Source: "Aria"}},
		{"Fat", "date,weight,fat\n2024-03-01,80,20\n", FormatGeneric, "", withFat(day(2, 80, ""), 20)},
		{"FatPct", "date,weight,fat_pct\n2024-03-01,80,20\n", FormatGeneric, "", withFat(day(2, 80, ""), 20)},
		{"BodyFat", "date,weight,body fat\n2024-03-01,80,20\n", FormatGeneric, "", withFat(day(2, 80, ""), 20)},
		{"BodyFatParen", "date,weight,Body Fat (%)\n2024-03-01,80,20\n", FormatGeneric, "", withFat(day(2, 80, ""), 20)},
		{"FatPercentagePercent", "date,weight,Fat Percentage (%)\n2024-03-01,80,20\n", FormatGeneric, "", withFat(day(2, 80, ""), 20)},
		{"BMIUnits", "date,weight,BMI (kg/m²)\n2024-03-01,80,24\n", FormatGeneric, "", Row{Line: 2, Date: "2024-03-01", Time: "00:00:00", Weight: 80, BMI: ptr(24)}},
		{"WeightPercentIsNotWeight", "date,weight %,weight\n2024-03-01,20,80\n", FormatGeneric, "", day(2, 80, "")},
		{"Bodyfat", "date,weight,bodyfat\n2024-03-01,80,20\n", FormatGeneric, "", withFat(day(2, 80, ""), 20)},
		{"FatMassIsNotPercent", "date,weight,Fat mass (kg)\n2024-03-01,80,20\n", FormatGeneric, "", day(2, 80, "")},
		{"FatInKgIsNotPercent", "date,weight,fat (kg)\n2024-03-01,80,20\n", FormatGeneric, "", day(2, 80, "")},
		{"Datetime", "datetime,weight_kg\n2024-03-01T07:30:00,80\n", FormatGeneric, body.Kilograms,
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:00", Weight: 80, Unit: body.Kilograms}},
		{"Timestamp", "Timestamp,weight\n2024-03-01 07:30,80\n", FormatGeneric, "",
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:00", Weight: 80}},
		{"DatetimeBeatsDateWithoutTime", "date,datetime,weight\n2024-02-29,2024-03-01 07:30,80\n", FormatGeneric, "",
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:00", Weight: 80}},
		{"DateAndTimeBeatDatetime", "datetime,date,time,weight\n2024-02-29 06:00,2024-03-01,07:30,80\n", FormatGeneric, "",
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:00", Weight: 80}},
		{"DateColumnWithTime", "Date,Weight (kg)\n2024-03-01 07:30:15,80\n", FormatGeneric, body.Kilograms,
			Row{Line: 2, Date: "2024-03-01", Time: "07:30:15", Weight: 80, Unit: body.Kilograms}},
		{"EmptyTimeIsMidnight", "date,time,weight\n2024-03-01,,80\n", FormatGeneric, "", day(2, 80, "")},
		{"Semicolon", "date;weight;fat\n2024-03-01;82,4;22,5\n", FormatGeneric, "", withFat(day(2, 82.4, ""), 22.5)},
		{"Tab", "date\tweight\tfat\n2024-03-01\t82,4\t22.5\n", FormatGeneric, "", withFat(day(2, 82.4, ""), 22.5)},
		{"CommaWinsTie", "date,weight,note;a;b\n2024-03-01,80,x\n", FormatGeneric, "", day(2, 80, "")},
		{"TabWithCommaInName", "Date\tWeight, kg\n2024-03-01\t80,5\n", FormatGeneric, body.Kilograms, day(2, 80.5, body.Kilograms)},
		{"SemicolonWithCommaInName", "Date;Weight, kg;Fat, %\n2024-03-01;80,5;20\n", FormatGeneric, body.Kilograms,
			withFat(day(2, 80.5, body.Kilograms), 20)},
		{"ExcelSepLine", "sep=;\ndate;weight,kg\n2024-03-01;80\n", FormatGeneric, body.Kilograms, day(3, 80, body.Kilograms)},
		{"LeadingBlankLines", "\n\r\ndate;weight\n2024-03-01;80,5\n", FormatGeneric, "", day(4, 80.5, "")},
		{"CRLF", "date,weight\r\n2024-03-01,80\r\n", FormatGeneric, "", day(2, 80, "")},
		{"SpacesAroundCells", "date , weight\n 2024-03-01 , 80 \n", FormatGeneric, "", day(2, 80, "")},
		{"PaddingRowsSkipped", "date,weight\n,\n2024-03-01,80\n , \n", FormatGeneric, "", day(3, 80, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, tt.in)
			if f.Format != tt.format || f.Unit != tt.unit {
				t.Errorf("format, unit = %v, %q; want %v, %q", f.Format, f.Unit, tt.format, tt.unit)
			}
			if len(f.Problems) > 0 {
				t.Errorf("problems: %v", f.Problems)
			}
			if diff := cmp.Diff([]Row{tt.row}, f.Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func withFat(r Row, fat float64) Row {
	r.FatPct = &fat
	return r
}

// TestReadValues reads one cell variation per row under a fixed header.
func TestReadValues(t *testing.T) {
	tests := []struct {
		name, header, cells string
		want                Row
	}{
		{"ISODate", "date,weight", "2024-03-01,80", day(2, 80, "")},
		{"SlashISODate", "date,weight", "2024/03/01,80", day(2, 80, "")},
		{"DotISODate", "date,weight", "2024.03.01,80", day(2, 80, "")},
		{"DottedDate", "date,weight", "01.03.2024,80", day(2, 80, "")},
		{"DottedShortDate", "date,weight", "1.3.2024,80", day(2, 80, "")},
		{"ShortISODate", "date,weight", "2024-3-1,80", day(2, 80, "")},
		{"LeapDay", "date,weight", "2024-02-29,80", Row{Line: 2, Date: "2024-02-29", Time: "00:00:00", Weight: 80}},
		{"ISOWithSeconds", "datetime,weight", "2024-03-01T07:30:59,80", at("07:30:59")},
		{"ISOWithoutSeconds", "datetime,weight", "2024-03-01T07:30,80", at("07:30:00")},
		{"ISOZulu", "datetime,weight", "2024-03-01T07:30:00Z,80", at("07:30:00")},
		{"ISOOffsetKeepsWallClock", "datetime,weight", "2024-03-01T07:30:00+01:00,80", at("07:30:00")},
		{"ISONegativeOffset", "datetime,weight", "2024-03-01T23:30:00-0500,80", at("23:30:00")},
		{"ISOHourOffset", "datetime,weight", "2024-03-01 07:30+01,80", at("07:30:00")},
		{"FractionalSeconds", "datetime,weight", "2024-03-01T07:30:15.250Z,80", at("07:30:15")},
		{"LowerT", "datetime,weight", "2024-03-01t07:30,80", at("07:30:00")},
		{"DottedDateTime", "datetime,weight", "01.03.2024 07:30,80", at("07:30:00")},
		{"OneDigitHour", "date,time,weight", "2024-03-01,7:05,80", at("07:05:00")},
		{"PM", "date,time,weight", "2024-03-01,7:30 PM,80", at("19:30:00")},
		{"Noon", "date,time,weight", "2024-03-01,12:05pm,80", at("12:05:00")},
		{"MidnightAM", "date,time,weight", "2024-03-01,12:05 AM,80", at("00:05:00")},
		{"UnitInCell", "date,weight", "2024-03-01,80 kg", day(2, 80, body.Kilograms)},
		{"UnitInCellBeatsHeader", "date,weight (kg)", "2024-03-01,176.5lbs", day(2, 176.5, body.Pounds)},
		{"UnitColumn", "date,weight,unit", "2024-03-01,176,lb", day(2, 176, body.Pounds)},
		{"UnitColumnStone", "date,weight,unit", "2024-03-01,12.5,Stone", day(2, 12.5, body.Stone)},
		{"UnitColumnBeatsHeader", "date,weight_kg,unit", "2024-03-01,176,lbs", day(2, 176, body.Pounds)},
		{"EmptyUnitCellUsesHeader", "date,weight_kg,unit", "2024-03-01,80,", day(2, 80, body.Kilograms)},
		{"Exponent", "date,weight", "2024-03-01,8.05e1", day(2, 80.5, "")},
		{"QuotedDecimalCommaInCommaFileIsBad", "date,weight", "2024-03-01,\"82,4\"", Row{}},
		{"FatPercentSign", "date,weight,fat", "2024-03-01,80,22.5 %", withFat(day(2, 80, ""), 22.5)},
		{"FatDash", "date,weight,fat,bmi", "2024-03-01,80,-,n/a", day(2, 80, "")},
		{"Source", "date,weight,source", "2024-03-01,80, Withings ", Row{Line: 2, Date: "2024-03-01", Time: "00:00:00", Weight: 80, Source: "Withings"}},
		{"ShortRowMissingOptional", "date,weight,fat,bmi", "2024-03-01,80", day(2, 80, "")},
		{"ExtraCellsIgnored", "date,weight", "2024-03-01,80,x,y", day(2, 80, "")},
		{"UnknownUnitStoneFloor", "date,weight", "2024-03-01,9.5", day(2, 9.5, "")},
		{"BoundsKept", "date,weight_kg,fat,bmi", "2024-03-01,700,0,5", Row{Line: 2, Date: "2024-03-01", Time: "00:00:00",
			Weight: 700, Unit: body.Kilograms, FatPct: ptr(0), BMI: ptr(5)}},
		{"LowBoundKept", "date,weight_kg,fat,bmi", "2024-03-01,10,100,150", Row{Line: 2, Date: "2024-03-01", Time: "00:00:00",
			Weight: 10, Unit: body.Kilograms, FatPct: ptr(100), BMI: ptr(150)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, tt.header+"\n"+tt.cells+"\n")
			var want []Row
			if tt.want.Line != 0 {
				want = []Row{tt.want}
			}
			if diff := cmp.Diff(want, f.Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if got := len(f.Problems); got != 1-len(want) {
				t.Errorf("problems = %v, want %d", f.Problems, 1-len(want))
			}
		})
	}
}

func at(clock string) Row {
	return Row{Line: 2, Date: "2024-03-01", Time: clock, Weight: 80}
}

func TestReadSlashDates(t *testing.T) {
	tests := []struct {
		name  string
		dates []string // one row each
		want  []string // dates read, or nil when Read refuses the file
	}{
		{"DayFirstByFirstOver12", []string{"03/04/2024", "13/04/2024"}, []string{"2024-04-03", "2024-04-13"}},
		{"MonthFirstBySecondOver12", []string{"03/04/2024", "04/13/2024"}, []string{"2024-03-04", "2024-04-13"}},
		{"DashesLikeSlashes", []string{"03-04-2024", "13-04-2024"}, []string{"2024-04-03", "2024-04-13"}},
		{"OneDigit", []string{"3/4/2024", "4/13/2024"}, []string{"2024-03-04", "2024-04-13"}},
		{"SameEitherWay", []string{"05/05/2024", "12/12/2024"}, []string{"2024-05-05", "2024-12-12"}},
		{"AmbiguousRefused", []string{"03/04/2024", "05/06/2024"}, nil},
		{"ContradictoryRefused", []string{"13/04/2024", "04/13/2024"}, nil},
		{"DatetimeCounts", []string{"03/04/2024 07:30", "25/04/2024 7:30 PM"}, []string{"2024-04-03", "2024-04-25"}},
		{"ISORowsDoNotVote", []string{"2024-04-13", "03/04/2024"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "date,weight\n" + strings.Join(tt.dates, ",80\n") + ",80\n"
			f, err := Read(strings.NewReader(in), Limits{})
			if tt.want == nil {
				if !errors.Is(err, ErrAmbiguousDates) || !strings.Contains(err.Error(), "YYYY-MM-DD") {
					t.Fatalf("err = %v, want ErrAmbiguousDates asking for YYYY-MM-DD", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range f.Rows {
				got = append(got, r.Date)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("dates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadSlashDateProblems checks that a slash date impossible in the chosen order is reported in file order.
func TestReadSlashDateProblems(t *testing.T) {
	in := "date,weight\n13/04/2024,80\n31/02/2024,80\n2024-04-14,0\n13/13/2024,80\n"
	f := mustRead(t, in)
	if len(f.Rows) != 1 || f.Rows[0].Date != "2024-04-13" {
		t.Errorf("rows = %+v, want only 2024-04-13", f.Rows)
	}
	var lines []int
	for _, p := range f.Problems {
		lines = append(lines, p.Line)
	}
	if diff := cmp.Diff([]int{3, 4, 5}, lines); diff != "" {
		t.Errorf("problem lines (-want +got):\n%s", diff)
	}
}
