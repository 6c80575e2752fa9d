package googlehealth

import (
	"errors"
	"testing"
)

func FuzzDecodePage(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"dataPoints":[]}`,
		`{"dataPoints":[` + noteWeightPoint + `],"nextPageToken":"tok"}`,
		`{"dataPoints":[` + manualWeightPoint + `,` + westWeightPoint + `]}`,
		`{"dataPoints":[{"name":"users/1/dataTypes/body-fat/dataPoints/1","bodyFat":{"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s"},"percentage":21.4}}]}`,
		`{"dataPoints":[{"name":"n","weight":{"sampleTime":{"physicalTime":"0001-01-01T00:30:00+01:00","utcOffset":"-64800s"},"weightGrams":1}}]}`,
		`{"dataPoints":[{"name":"n","weight":{"sampleTime":{"physicalTime":"9999-12-31T23:59:59.999999999Z","utcOffset":"64800s"},"weightGrams":5e-324}}]}`,
		`{"dataPoints":[{"name":"n","weight":{"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s","civilTime":{"date":{"year":2026,"month":1,"day":2}}},"weightGrams":1.7976931348623157e308}}]}`,
		`{"dataPoints":[null]}`,
		`{"dataPoints":[{"name":"x","weight":{"sampleTi`,
		`null`,
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, bodyFat bool) {
		dt := weightType
		if bodyFat {
			dt = bodyFatType
		}
		page, err := decodePage(dt, body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			if len(page.Samples) != 0 || page.NextPageToken != "" {
				t.Fatalf("error came with a page: %+v", page)
			}
			return
		}
		for i, s := range page.Samples {
			if err := validSample(dt, s); err != nil {
				t.Fatalf("sample %d %+v: %v", i, s, err)
			}
		}
	})
}

func FuzzDecodeHeights(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"dataPoints":[{"name":"h","height":{"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s"},"heightMillimeters":"1780"}}]}`,
		`{"dataPoints":[{"name":"h","height":{"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z"},"heightMillimeters":1780}}]}`,
		`{"dataPoints":[{"height":{"heightMillimeters":"9223372036854775808"}},null]}`,
		`{"dataPoints":[{"height":{"heightMillimeters":"\u0031780"}}]}`,
		`{"dataPoints":[`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := decodeHeights(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			return
		}
		for _, h := range page.Heights {
			if h.Cm < minHeightMm/10.0 || h.Cm > maxHeightMm/10.0 || h.Time.IsZero() {
				t.Fatalf("height %+v outside what the sync believes", h)
			}
		}
	})
}
