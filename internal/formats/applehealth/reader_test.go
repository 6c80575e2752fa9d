package applehealth

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const prolog = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ATTLIST Record type CDATA #REQUIRED unit CDATA #IMPLIED value CDATA #IMPLIED>
]>
<HealthData locale="en_US">
 <ExportDate value="2024-03-10 21:07:11 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-12-06" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexMale"/>
`

const hr = ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" creationDate="2024-03-02 07:15:40 +0100" startDate="2024-03-02 07:14:00 +0100" endDate="2024-03-02 07:14:00 +0100" value="61">
  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>
 </Record>
`

func doc(body string) string { return prolog + hr + body + hr + "</HealthData>\n" }

func rec(typ, src, unit, start, value string) string {
	return ` <Record type="` + typ + `" sourceName="` + src + `" sourceVersion="7" unit="` + unit + `" creationDate="` + start + `" startDate="` + start + `" endDate="` + start + `" value="` + value + `"/>` + "\n"
}

const t1 = "2024-03-02 07:14:58 +0100"

func p(v float64) *float64 { return &v }

func readAll(t *testing.T, r core.Reader) ([]core.Record, []error, error) {
	t.Helper()
	var out []core.Record
	var rows []error
	for i := 0; i < 100000; i++ {
		rec, err := r.Next()
		var re *core.RowError
		switch {
		case errors.As(err, &re):
			rows = append(rows, err)
		case err != nil:
			if err == io.EOF {
				err = nil
			}
			return out, rows, err
		default:
			out = append(out, rec)
		}
	}
	t.Fatal("reader never ended")
	return nil, nil, nil
}

var approx = cmpopts.EquateApprox(0, 1e-9)

func base(clock string, kg float64) core.Record {
	return core.Record{Date: "2024-03-02", Clock: clock, Offset: 3600, OffsetKnown: true, WeightKg: kg, Unit: "kg", Device: "ScaleApp"}
}

func TestReader(t *testing.T) {
	w := func(mod func(*core.Record)) core.Record { r := base("07:14:58", 81.3); mod(r0(&r)); return r }
	tests := []struct {
		name string
		body string
		want []core.Record
	}{
		{"kg weight and fat fraction join", rec(typeMass, "ScaleApp", "kg", t1, "81.3") + rec(typeFat, "ScaleApp", "%", t1, "0.214"),
			[]core.Record{w(func(r *core.Record) { r.FatPct = p(21.4) })}},
		{"pounds", rec(typeMass, "ScaleApp", "lb", t1, "180"),
			[]core.Record{w(func(r *core.Record) { r.WeightKg, r.Unit = 81.64662660, "lb" })}},
		{"stone", rec(typeMass, "ScaleApp", "st", t1, "12.5"),
			[]core.Record{w(func(r *core.Record) { r.WeightKg, r.Unit = 79.37866475, "st" })}},
		{"two apps, one weigh-in", rec(typeMass, "ScaleApp", "kg", t1, "81.3") + rec(typeMass, "MyFitnessPal", "lb", "2024-03-02 07:14:03 +0100", "179.3"),
			[]core.Record{w(func(*core.Record) {})}},
		{"two weights a minute apart stay two", rec(typeMass, "ScaleApp", "kg", t1, "81.3") + rec(typeMass, "ScaleApp", "kg", "2024-03-02 07:15:01 +0100", "81.3"),
			[]core.Record{w(func(*core.Record) {}), func() core.Record { r := base("07:15:01", 81.3); return r }()}},
		{"different weights in one minute stay two", rec(typeMass, "ScaleApp", "kg", t1, "81.3") + rec(typeMass, "ScaleApp", "kg", t1, "70.0"),
			[]core.Record{w(func(*core.Record) {}), base("07:14:58", 70)}},
		{"bmi and lean mass join, fat from a second app dropped", rec(typeMass, "ScaleApp", "kg", t1, "81.3") + rec(typeBMI, "ScaleApp", "count", t1, "24.9") +
			rec(typeLean, "ScaleApp", "lb", t1, "140") + rec(typeFat, "ScaleApp", "%", t1, "0.2") + rec(typeFat, "Other", "%", t1, "0.2004"),
			[]core.Record{w(func(r *core.Record) { r.BMI, r.LeanKg, r.FatPct = p(24.9), p(63.5029318), p(20) })}},
		{"fat without weight stands alone", rec(typeFat, "ScaleApp", "%", t1, "0.161"),
			[]core.Record{func() core.Record { r := base("07:14:58", 0); r.Unit, r.FatPct = "", p(16.1); return r }()}},
		{"heights in every unit", rec(typeHeight, "Health", "cm", "2020-01-01 10:00:00 -0500", "180") + rec(typeHeight, "Health", "m", "2021-01-01 10:00:00 -0500", "1.8") +
			rec(typeHeight, "Health", "ft", "2022-01-01 10:00:00 -0500", "5.5") + rec(typeHeight, "Health", "in", "2023-01-01 10:00:00 -0500", "70"),
			[]core.Record{hgt("2020-01-01", 180), hgt("2021-01-01", 180), hgt("2022-01-01", 167.64), hgt("2023-01-01", 177.8)}},
		{"non-body records, children and correlations skipped",
			` <Correlation type="HKCorrelationTypeIdentifierBloodPressure" startDate="` + t1 + `">` + "\n" + rec(typeMass, "Inner", "kg", t1, "99") + " </Correlation>\n" +
				` <Workout workoutActivityType="HKWorkoutActivityTypeRunning"><WorkoutEvent type="x"/></Workout>` + "\n" +
				`<!-- <Record type="HKQuantityTypeIdentifierBodyMass"/> -->` + rec(typeMass, "ScaleApp", "kg", t1, "81.3"),
			[]core.Record{w(func(*core.Record) {})}},
		{"vertical tab in values", strings.Replace(hr, `value="61"`, "value=\"6\x0b1\"", 1) + rec(typeMass, "Scale\x0bApp", "kg", t1, "81.3"),
			[]core.Record{w(func(*core.Record) {})}},
		{"device name when no source", ` <Record type="HKQuantityTypeIdentifierBodyMass" unit="kg" device="&lt;&lt;HKDevice: 0x1&gt;, name:Body Cardio, manufacturer:Withings&gt;" startDate="` + t1 + `" value="81.3"/>`,
			[]core.Record{w(func(r *core.Record) { r.Device = "Body Cardio" })}},
		{"iOS 8 compact dates and source attribute", `<Record type="HKQuantityTypeIdentifierBodyMass" source="ScaleApp" unit="kg" startDate="20240302071458+0100" value="81.3"/>`,
			[]core.Record{w(func(*core.Record) {})}},
		{"single quotes, attribute order, a > in a value", `<Record value='81.3' note="a>b" n2=">" n3='">' startDate='` + t1 + `' unit='kg' sourceName='ScaleApp' type='HKQuantityTypeIdentifierBodyMass'/>`,
			[]core.Record{w(func(*core.Record) {})}},
		{"a zone west of UTC keeps the clock", rec(typeMass, "ScaleApp", "kg", "2024-03-02 23:30:00 -0800", "81.3"),
			[]core.Record{func() core.Record { r := base("23:30:00", 81.3); r.Offset = -8 * 3600; return r }()}},
		{"out of range values pass through", rec(typeMass, "ScaleApp", "kg", "1850-03-02 07:14:58 +0100", "900") + rec(typeFat, "ScaleApp", "%", "1850-03-02 07:14:58 +0100", "0.9"),
			[]core.Record{func() core.Record {
				r := base("07:14:58", 900)
				r.Date, r.FatPct = "1850-03-02", p(90)
				return r
			}()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, size := range []int{bufSize, 300} {
				r := NewReader(strings.NewReader(doc(tt.body)))
				r.bufSize = size
				got, rows, err := readAll(t, r)
				if err != nil || rows != nil {
					t.Fatalf("buffer %d: err %v, row errors %v", size, err, rows)
				}
				if d := cmp.Diff(tt.want, got, approx); d != "" {
					t.Errorf("buffer %d: records (-want +got):\n%s", size, d)
				}
			}
		})
	}
}

func r0(r *core.Record) *core.Record { return r }

func hgt(date string, cm float64) core.Record {
	return core.Record{Date: date, Clock: "10:00:00", Offset: -5 * 3600, OffsetKnown: true, HeightCm: cm, Device: "Health"}
}
