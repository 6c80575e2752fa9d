package googlehealth

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bodystats/bodystats/internal/provider"
)

// The wire note's weight point, byte for byte.
const noteWeightPoint = `{"name":"users/4815162342/dataTypes/weight/dataPoints/1700000000000",
     "dataSource":{"platform":"FITBIT","recordingMethod":"ACTIVELY_MEASURED","device":{"displayName":"Aria Air","manufacturer":"Fitbit","formFactor":"SCALE"}},
     "weight":{"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s",
               "civilTime":{"date":{"year":2026,"month":1,"day":2},"time":{"hours":7,"minutes":31,"seconds":12}}},
               "weightGrams":82400}}`

// A manual entry with no civilTime, taken half an hour after midnight local time (UTC+1) on 2 January.
const manualWeightPoint = `{"name":"users/4815162342/dataTypes/weight/dataPoints/1699999000000",
     "dataSource":{"platform":"FITBIT","recordingMethod":"MANUAL"},
     "weight":{"sampleTime":{"physicalTime":"2026-01-01T23:30:00Z","utcOffset":"3600s"},"weightGrams":82437}}`

// A reading west of UTC, with no data source, whose local date is the day before its UTC date.
const westWeightPoint = `{"name":"users/4815162342/dataTypes/weight/dataPoints/1699998000000",
     "weight":{"sampleTime":{"physicalTime":"2026-01-02T03:15:00.250Z","utcOffset":"-18000s"},"weightGrams":90000.5}}`

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWeightsPaging(t *testing.T) {
	c, f := serve(t,
		ok(`{"dataPoints":[`+noteWeightPoint+`,`+manualWeightPoint+`],
   "nextPageToken":"tok-2"}`),
		ok(`{"dataPoints":[`+westWeightPoint+`]}`),
	)
	from, to := day(t, "2026-01-01T00:00:00Z"), day(t, "2026-02-01T00:00:00Z")
	var got []Sample
	token := ""
	for range 3 {
		page, err := c.Weights(context.Background(), from, to, 0, token)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Samples...)
		if token = page.NextPageToken; token == "" {
			break
		}
	}
	if n := f.count(); n != 2 {
		t.Fatalf("server saw %d requests, want 2", n)
	}
	wantFilter := `weight.sample_time.physical_time >= "2026-01-01T00:00:00Z" AND weight.sample_time.physical_time < "2026-02-01T00:00:00Z"`
	for i, want := range []url.Values{
		{"pageSize": {"10000"}, "filter": {wantFilter}},
		{"pageSize": {"10000"}, "filter": {wantFilter}, "pageToken": {"tok-2"}},
	} {
		r := f.request(t, i)
		if got, want := r.URL.Path, "/v4/users/me/dataTypes/weight/dataPoints"; got != want {
			t.Errorf("request %d: path = %q, want %q", i, got, want)
		}
		if diff := cmp.Diff(want, query(t, r)); diff != "" {
			t.Errorf("request %d: query (-want +got):\n%s", i, diff)
		}
		if strings.ContainsAny(r.URL.RawQuery, ` "`) {
			t.Errorf("request %d: raw query %q is not URL-encoded", i, r.URL.RawQuery)
		}
	}
	want := []Sample{
		{ID: "users/4815162342/dataTypes/weight/dataPoints/1700000000000", Time: day(t, "2026-01-02T07:31:12Z"),
			Date: "2026-01-02", Clock: "07:31:12", Value: 82.4, Source: "Aria Air", Method: provider.Device},
		{ID: "users/4815162342/dataTypes/weight/dataPoints/1699999000000", Time: day(t, "2026-01-01T23:30:00Z"),
			Offset: time.Hour, Date: "2026-01-02", Clock: "00:30:00", Value: 82.437, Source: "manual", Method: provider.Manual},
		{ID: "users/4815162342/dataTypes/weight/dataPoints/1699998000000", Time: day(t, "2026-01-02T03:15:00.25Z"),
			Offset: -5 * time.Hour, Date: "2026-01-01", Clock: "22:15:00", Value: 90.0005, Source: "Google Health", Method: provider.Copy},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
	for _, s := range got {
		if s.Time.Location() != time.UTC {
			t.Errorf("%s: Time in %v, want UTC", s.ID, s.Time.Location())
		}
	}
}

func TestBodyFat(t *testing.T) {
	c, f := serve(t, ok(`{"dataPoints":[{"name":"users/4815162342/dataTypes/body-fat/dataPoints/1700000000000",
     "dataSource":{"platform":"FITBIT","recordingMethod":"ACTIVELY_MEASURED","device":{"displayName":"Aria Air","manufacturer":"Fitbit","formFactor":"SCALE"}},
     "bodyFat":{"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s",
               "civilTime":{"date":{"year":2026,"month":1,"day":2},"time":{"hours":7,"minutes":31,"seconds":12}}},
               "percentage":21.4}}]}`))
	page, err := c.BodyFat(context.Background(), day(t, "2026-01-01T00:00:00Z"), time.Time{}, 500, "")
	if err != nil {
		t.Fatal(err)
	}
	want := Page{Samples: []Sample{{ID: "users/4815162342/dataTypes/body-fat/dataPoints/1700000000000",
		Time: day(t, "2026-01-02T07:31:12Z"), Date: "2026-01-02", Clock: "07:31:12", Value: 21.4, Source: "Aria Air", Method: provider.Device}}}
	if diff := cmp.Diff(want, page); diff != "" {
		t.Errorf("page (-want +got):\n%s", diff)
	}
	r := f.request(t, 0)
	if got, want := r.URL.Path, "/v4/users/me/dataTypes/body-fat/dataPoints"; got != want {
		t.Errorf("path = %q, want %q", got, want)
	}
	wantQuery := url.Values{"pageSize": {"500"}, "filter": {`body_fat.sample_time.physical_time >= "2026-01-01T00:00:00Z"`}}
	if diff := cmp.Diff(wantQuery, query(t, r)); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}

func TestListQuery(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		name     string
		from, to time.Time
		pageSize int
		want     url.Values
	}{
		{"Unbounded", time.Time{}, time.Time{}, 1, url.Values{"pageSize": {"1"}}},
		{"FromOnly", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, MaxPageSize,
			url.Values{"pageSize": {"10000"}, "filter": {`weight.sample_time.physical_time >= "2026-01-01T00:00:00Z"`}}},
		{"ToOnly", time.Time{}, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), 0,
			url.Values{"pageSize": {"10000"}, "filter": {`weight.sample_time.physical_time < "2026-02-01T00:00:00Z"`}}},
		{"LocalTimesSentAsUTC", time.Date(2026, 1, 1, 0, 0, 0, 0, paris), time.Date(2026, 1, 2, 0, 0, 0, 0, paris), 1440,
			url.Values{"pageSize": {"1440"}, "filter": {`weight.sample_time.physical_time >= "2025-12-31T23:00:00Z" AND weight.sample_time.physical_time < "2026-01-01T23:00:00Z"`}}},
		{"SubSecondBoundsKept", time.Date(2026, 1, 1, 0, 0, 0, 500e6, time.UTC), time.Time{}, 0,
			url.Values{"pageSize": {"10000"}, "filter": {`weight.sample_time.physical_time >= "2026-01-01T00:00:00.5Z"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := serve(t, ok(`{}`))
			page, err := c.Weights(context.Background(), tt.from, tt.to, tt.pageSize, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Samples) != 0 || page.NextPageToken != "" {
				t.Errorf("empty answer gave %+v, want an empty last page", page)
			}
			if diff := cmp.Diff(tt.want, query(t, f.request(t, 0))); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListRefusesBadArguments(t *testing.T) {
	jan, feb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		from, to time.Time
		pageSize int
	}{
		{"NegativePageSize", jan, feb, -1},
		{"PageSizeTooLarge", jan, feb, MaxPageSize + 1},
		{"EmptyRange", jan, jan, 0},
		{"BackwardsRange", feb, jan, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := serve(t, ok(`{}`))
			_, err := c.BodyFat(context.Background(), tt.from, tt.to, tt.pageSize, "")
			if err == nil {
				t.Fatal("err = nil, want an error")
			}
			if n := f.count(); n != 0 {
				t.Errorf("server saw %d requests, want none", n)
			}
		})
	}
}

func TestRepeatedPageToken(t *testing.T) {
	c, _ := serve(t, ok(`{"dataPoints":[`+noteWeightPoint+`],"nextPageToken":"same"}`))
	_, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "same")
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v, want ErrMalformed", err)
	}
}
