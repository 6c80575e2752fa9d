package googlehealth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// secretPoint is a weight point with a planted marker; bad points below are built from it so that any error text
// quoting a point's content would show the marker.
func secretPoint(sampleTime, value string) string {
	return `{"name":"users/SECRET/dataTypes/weight/dataPoints/1","dataSource":{"device":{"displayName":"SECRET scale"}},` +
		`"weight":{` + sampleTime + value + `}}`
}

const goodTime = `"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s"},`

func TestMalformedPoints(t *testing.T) {
	tests := []struct {
		name  string
		point string
	}{
		{"NoSampleTime", secretPoint(``, `"weightGrams":82400`)},
		{"NoPhysicalTime", secretPoint(`"sampleTime":{"utcOffset":"0s"},`, `"weightGrams":82400`)},
		{"UnparsablePhysicalTime", secretPoint(`"sampleTime":{"physicalTime":"SECRET","utcOffset":"0s"},`, `"weightGrams":82400`)},
		{"PhysicalTimeWithoutZone", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12","utcOffset":"0s"},`, `"weightGrams":82400`)},
		{"NoOffset", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z"},`, `"weightGrams":82400`)},
		{"UnparsableOffset", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"SECRETs"},`, `"weightGrams":82400`)},
		{"OffsetWithoutUnit", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"3600"},`, `"weightGrams":82400`)},
		{"OffsetInGoSyntax", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"1h"},`, `"weightGrams":82400`)},
		{"OffsetTooWide", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"86400s"},`, `"weightGrams":82400`)},
		{"CivilTimeWithoutDate", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s","civilTime":{"time":{"hours":7}}},`, `"weightGrams":82400`)},
		{"CivilDateImpossible", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s","civilTime":{"date":{"year":2026,"month":2,"day":30}}},`, `"weightGrams":82400`)},
		{"CivilHour24", secretPoint(`"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s","civilTime":{"date":{"year":2026,"month":1,"day":2},"time":{"hours":24}}},`, `"weightGrams":82400`)},
		{"NoName", `{"weight":{` + goodTime + `"weightGrams":82400}}`},
		{"NoWeightObject", `{"name":"users/SECRET/dataTypes/body-fat/dataPoints/1","bodyFat":{` + goodTime + `"percentage":20}}`},
		{"Null", `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := serve(t, ok(`{"dataPoints":[`+noteWeightPoint+`,`+tt.point+`]}`))
			page, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "")
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, page %+v; want ErrMalformed", err, page)
			}
			if !strings.Contains(err.Error(), "data point 1") {
				t.Errorf("error %q does not name the point's index", err)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q quotes the point's content", err)
			}
			if len(page.Samples) != 0 {
				t.Errorf("got %d samples with the error, want none", len(page.Samples))
			}
		})
	}
}

// TestPointsWithoutValue: a point with no value, or an impossible one, is skipped and counted, and the rest of the
// page comes through: proto3 JSON leaves a weightGrams of 0 out, and refusing the page would stop every sync there.
func TestPointsWithoutValue(t *testing.T) {
	for name, point := range map[string]string{
		"NoWeightGrams":  secretPoint(goodTime, `"notes":"SECRET"`),
		"ZeroWeight":     secretPoint(goodTime, `"weightGrams":0`),
		"NegativeWeight": secretPoint(goodTime, `"weightGrams":-82400`),
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := serve(t, ok(`{"dataPoints":[`+noteWeightPoint+`,`+point+`]}`))
			page, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "")
			if err != nil || len(page.Samples) != 1 || page.Skipped != 1 {
				t.Errorf("page %+v, %v; want the good point and one skipped", page, err)
			}
		})
	}
}

func TestMalformedBodyFat(t *testing.T) {
	point := func(pct string) string {
		return `{"name":"users/1/dataTypes/body-fat/dataPoints/1","bodyFat":{` + goodTime + pct + `}}`
	}
	tests := []struct {
		name  string
		value string
		bad   bool
	}{
		{"Zero", `"percentage":0`, false},
		{"Hundred", `"percentage":100`, false},
		{"Typical", `"percentage":21.4`, false},
		{"Missing", `"notes":"x"`, true},
		{"Negative", `"percentage":-0.5`, true},
		{"OverHundred", `"percentage":100.1`, true},
		{"HundredForty", `"percentage":140`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := serve(t, ok(`{"dataPoints":[`+point(tt.value)+`]}`))
			page, err := c.BodyFat(context.Background(), time.Time{}, time.Time{}, 0, "")
			if tt.bad {
				if err != nil || len(page.Samples) != 0 || page.Skipped != 1 {
					t.Errorf("page %+v, %v; want the point skipped", page, err)
				}
				return
			}
			if err != nil || len(page.Samples) != 1 {
				t.Errorf("page = %+v, err = %v; want one sample", page, err)
			}
		})
	}
}

func TestMalformedPages(t *testing.T) {
	tests := []struct{ name, body string }{
		{"Truncated", `{"dataPoints":[{"name":"users/4815162342/dataTypes/weight/dataPoints/1700000000000","weight":{"sampleTi`},
		{"Empty", ``},
		{"Null", `null`},
		{"Array", `[` + noteWeightPoint + `]`},
		{"DataPointsNotAList", `{"dataPoints":{"name":"x"}}`},
		{"WeightOutOfRange", `{"dataPoints":[{"name":"x","weight":{` + goodTime + `"weightGrams":1e400}}]}`},
		{"HTML", `<html>SECRET</html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := serve(t, ok(tt.body))
			_, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "")
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q quotes the answer", err)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0s", 0, true},
		{"3600s", time.Hour, true},
		{"-18000s", -5 * time.Hour, true},
		{"19800.5s", 5*time.Hour + 30*time.Minute + 500*time.Millisecond, true},
		{"1.000000001s", time.Second + 1, true},
		{"-0.25s", -250 * time.Millisecond, true},
		{"", 0, false},
		{"s", 0, false},
		{"3600", 0, false},
		{"1h", 0, false},
		{"+3600s", 0, false},
		{"--1s", 0, false},
		{"1.s", 0, false},
		{".5s", 0, false},
		{"1.0000000001s", 0, false},
		{"1e3s", 0, false},
		{"1234567s", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseDuration(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
