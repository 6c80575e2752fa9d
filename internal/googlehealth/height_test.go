package googlehealth

import (
	"context"
	"errors"
	"testing"
)

// TestHeights: the newest readable height counts; broken ones are skipped and counted, never an error: a height
// is not a weigh-in, and the one before serves.
func TestHeights(t *testing.T) {
	point := func(at, mm string) string {
		return `{"name":"users/1/dataTypes/height/dataPoints/` + at + `","height":{"sampleTime":{"physicalTime":"` + at +
			`","utcOffset":"0s"},"heightMillimeters":` + mm + `}}`
	}
	const older = `{"name":"users/1/dataTypes/height/dataPoints/1","height":{"sampleTime":{"physicalTime":"2020-01-01T08:00:00Z","utcOffset":"0s"},"heightMillimeters":"1780"}}`
	tests := []struct {
		name  string
		point string
		want  float64
	}{
		{"String", point("2026-01-01T08:00:00Z", `"1812"`), 181.2},
		{"Number", point("2026-01-01T08:00:00Z", `1812`), 181.2},
		{"Escaped", point("2026-01-01T08:00:00Z", `"\u0031812"`), 181.2},
		{"NotANumber", point("2026-01-01T08:00:00Z", `"abc"`), 178},
		{"Fraction", point("2026-01-01T08:00:00Z", `"1780.5"`), 178},
		{"Zero", point("2026-01-01T08:00:00Z", `"0"`), 178},
		{"TooTall", point("2026-01-01T08:00:00Z", `"4000"`), 178},
		{"Negative", point("2026-01-01T08:00:00Z", `"-1780"`), 178},
		{"Object", point("2026-01-01T08:00:00Z", `{"mm":1780}`), 178},
		{"NoPhysicalTime", `{"name":"x","height":{"sampleTime":{"utcOffset":"0s"},"heightMillimeters":"1812"}}`, 178},
		{"NoHeight", `{"name":"x","weight":{"sampleTime":{"physicalTime":"2026-01-01T08:00:00Z","utcOffset":"0s"},"weightGrams":80000}}`, 178},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := serve(t, ok(`{"dataPoints":[`+tt.point+`,`+older+`]}`))
			page, err := c.Heights(context.Background(), HeightPageSize, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Heights) == 0 || page.Heights[0].Cm != tt.want {
				t.Fatalf("heights = %+v, want the newest readable one %v cm", page, tt.want)
			}
			if skipped := 2 - len(page.Heights); page.Skipped != skipped {
				t.Errorf("Skipped = %d, want %d", page.Skipped, skipped)
			}
			r := f.request(t, 0)
			if r.URL.Path != "/v4/users/me/dataTypes/height/dataPoints" || query(t, r).Get("pageSize") != "25" || query(t, r).Has("filter") {
				t.Errorf("request %s, want the height collection, 25 points, no filter", r.URL)
			}
		})
	}
	c, _ := serve(t, ok(`{"dataPoints":[`))
	if _, err := c.Heights(context.Background(), HeightPageSize, ""); !errors.Is(err, ErrMalformed) {
		t.Errorf("truncated height page: err = %v, want ErrMalformed", err)
	}
}
