package emulator

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// point is what a client takes from a data point; times are compared as the strings on the wire.
type point struct {
	Name         string
	PhysicalTime string
	UTCOffset    string
	Civil        string // YYYY-MM-DD HH:MM:SS from civilTime, zero fields absent as proto3 JSON leaves them
	Value        float64
}

type pointsPage struct {
	DataPoints []struct {
		Name   string `json:"name"`
		Weight *struct {
			SampleTime  sampleTimeJSON `json:"sampleTime"`
			WeightGrams float64        `json:"weightGrams"`
		} `json:"weight"`
		BodyFat *struct {
			SampleTime sampleTimeJSON `json:"sampleTime"`
			Percentage float64        `json:"percentage"`
		} `json:"bodyFat"`
	} `json:"dataPoints"`
	NextPageToken string `json:"nextPageToken"`
}

func (p pointsPage) points() []point {
	var out []point
	for _, d := range p.DataPoints {
		var st sampleTimeJSON
		var v float64
		if d.Weight != nil {
			st, v = d.Weight.SampleTime, d.Weight.WeightGrams
		} else if d.BodyFat != nil {
			st, v = d.BodyFat.SampleTime, d.BodyFat.Percentage
		}
		c := st.CivilTime
		civil := time.Date(c.Date.Year, time.Month(c.Date.Month), c.Date.Day, c.Time.Hours, c.Time.Minutes, c.Time.Seconds, 0, time.UTC)
		out = append(out, point{d.Name, st.PhysicalTime, st.UTCOffset, civil.Format("2006-01-02 15:04:05"), v})
	}
	return out
}

// wantPoints converts the history as the contract says, newest first.
func wantPoints(t *testing.T, e *Emulator, dataType string) []point {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	var out []point
	logs := e.WeightLogs()
	for i := len(logs) - 1; i >= 0; i-- {
		l := logs[i]
		if dataType == "body-fat" && !l.HasFat {
			continue
		}
		at, err := time.ParseInLocation("2006-01-02 15:04:05", l.Date+" "+l.Time, loc)
		if err != nil {
			t.Fatal(err)
		}
		_, offset := at.Zone()
		v := math.Round(l.WeightKg * 1000) // whole grams: the history has 0.1 kg resolution
		if dataType == "body-fat" {
			v = l.FatPct
		}
		out = append(out, point{
			Name:         "users/" + e.GoogleUser().HealthUserID + "/dataTypes/" + dataType + "/dataPoints/" + strconv.FormatInt(l.LogID, 10),
			PhysicalTime: at.UTC().Format(time.RFC3339), UTCOffset: strconv.Itoa(offset) + "s",
			Civil: l.Date + " " + l.Time, Value: v,
		})
	}
	return out
}

// listAll follows nextPageToken to the end and returns the points and the number of pages.
func listAll(t *testing.T, f *fixture, token, dataType string, q url.Values) ([]point, int) {
	t.Helper()
	var all []point
	for pages := 1; ; pages++ {
		var p pointsPage
		resp := f.bearerGet(t, "/v4/users/me/dataTypes/"+dataType+"/dataPoints?"+q.Encode(), token, &p)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page %d: got %d", pages, resp.StatusCode)
		}
		if size, _ := strconv.Atoi(q.Get("pageSize")); size > 0 && len(p.DataPoints) > size {
			t.Fatalf("page %d: %d points, more than pageSize %d", pages, len(p.DataPoints), size)
		}
		all = append(all, p.points()...)
		if p.NextPageToken == "" {
			return all, pages
		}
		q.Set("pageToken", p.NextPageToken)
	}
}

func TestDataPointsMatchHistory(t *testing.T) {
	f := newO2Fixture(t, Options{})
	token := f.connectO2(t, googleAS, nil)["access_token"].(string)
	for _, dataType := range []string{"weight", "body-fat"} {
		t.Run(dataType, func(t *testing.T) {
			want := wantPoints(t, f.emu, dataType)
			got, pages := listAll(t, f, token, dataType, url.Values{"pageSize": {"100"}})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("data points (-history +API):\n%s", diff)
			}
			if wantPages := (len(want) + 99) / 100; pages != wantPages {
				t.Errorf("pages: got %d, want %d", pages, wantPages)
			}
			offsets := map[string]bool{}
			for _, p := range got {
				offsets[p.UTCOffset] = true
			}
			if !offsets["0s"] || !offsets["3600s"] || len(offsets) != 2 {
				t.Errorf("UTC offsets seen: got %v, want 0s and 3600s", offsets)
			}
		})
	}
}

func TestDataPointsDefaultPageSize(t *testing.T) {
	f := newO2Fixture(t, Options{Years: 5}) // more weigh-ins than one default page
	token := f.connectO2(t, googleAS, nil)["access_token"].(string)
	for _, query := range []string{"", "?pageSize=0"} {
		var p pointsPage
		f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints"+query, token, &p)
		if len(p.DataPoints) != 1440 || p.NextPageToken == "" {
			t.Errorf("query %q: got %d points, next page %v; want 1440 and a next page", query, len(p.DataPoints), p.NextPageToken != "")
		}
	}
}

func TestDataPointsFilter(t *testing.T) {
	f := newO2Fixture(t, Options{})
	token := f.connectO2(t, googleAS, nil)["access_token"].(string)
	all := wantPoints(t, f.emu, "weight")
	newer, older := all[10].PhysicalTime, all[40].PhysicalTime
	london, _ := time.Parse(time.RFC3339, newer)
	newerLocal := london.In(f.emu.loc).Format(time.RFC3339) // the same instant with an offset
	between := func(lo, hi string) []point {
		var out []point
		for _, p := range all {
			if (lo == "" || p.PhysicalTime >= lo) && (hi == "" || p.PhysicalTime < hi) {
				out = append(out, p)
			}
		}
		return out
	}
	const field = "weight.sample_time.physical_time"
	tests := []struct {
		name, filter string
		want         []point
	}{
		{"lower bound inclusive", field + ` >= "` + newer + `"`, all[:11]},
		{"upper bound exclusive", field + ` < "` + newer + `"`, all[11:]},
		{"both", field + ` >= "` + older + `" AND ` + field + ` < "` + newer + `"`, all[11:41]},
		{"both, upper first, tight spacing", field + `<"` + newer + `" AND ` + field + `>="` + older + `"`, all[11:41]},
		{"offset timestamp", field + ` >= "` + newerLocal + `"`, between(newer, "")},
		{"empty", "", all},
		{"nothing in range", field + ` >= "2000-01-01T00:00:00Z" AND ` + field + ` < "2000-01-02T00:00:00Z"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := listAll(t, f, token, "weight", url.Values{"filter": {tt.filter}, "pageSize": {"7"}})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("filter %s (-want +got):\n%s", tt.filter, diff)
			}
		})
	}
}

func TestDataPointsBadRequests(t *testing.T) {
	f := newO2Fixture(t, Options{})
	token := f.connectO2(t, googleAS, nil)["access_token"].(string)
	const w, ts = "weight.sample_time.physical_time", `"2026-01-01T00:00:00Z"`
	var first pointsPage
	f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints?pageSize=5", token, &first)
	weightToken := first.NextPageToken
	tests := []struct {
		name, dataType string
		query          url.Values
	}{
		{"body_fat field on weight", "weight", url.Values{"filter": {"body_fat.sample_time.physical_time >= " + ts}}},
		{"weight field on body-fat", "body-fat", url.Values{"filter": {w + " >= " + ts}}},
		{"civil time field", "weight", url.Values{"filter": {"weight.sample_time.civil_time >= " + ts}}},
		{"greater than", "weight", url.Values{"filter": {w + " > " + ts}}},
		{"less or equal", "weight", url.Values{"filter": {w + " <= " + ts}}},
		{"unquoted timestamp", "weight", url.Values{"filter": {w + " >= 2026-01-01T00:00:00Z"}}},
		{"date only", "weight", url.Values{"filter": {w + ` >= "2026-01-01"`}}},
		{"unterminated string", "weight", url.Values{"filter": {w + ` >= "2026-01-01T00:00:00Z`}}},
		{"OR", "weight", url.Values{"filter": {w + " >= " + ts + " OR " + w + " < " + ts}}},
		{"lowercase and", "weight", url.Values{"filter": {w + " >= " + ts + " and " + w + " < " + ts}}},
		{"trailing AND", "weight", url.Values{"filter": {w + " >= " + ts + " AND"}}},
		{"two lower bounds", "weight", url.Values{"filter": {w + " >= " + ts + " AND " + w + " >= " + ts}}},
		{"parentheses", "weight", url.Values{"filter": {"(" + w + " >= " + ts + ")"}}},
		{"pageSize beyond int32", "weight", url.Values{"pageSize": {"2147483648"}}},
		{"negative pageSize", "weight", url.Values{"pageSize": {"-1"}}},
		{"pageSize not a number", "weight", url.Values{"pageSize": {"ten"}}},
		{"unknown parameter", "weight", url.Values{"orderBy": {"newest"}}},
		{"garbage page token", "weight", url.Values{"pageToken": {"not-a-token"}}},
		{"weight token on body-fat", "body-fat", url.Values{"pageToken": {weightToken}}},
		{"token of another filter", "weight", url.Values{"pageToken": {weightToken}, "filter": {w + " >= " + ts}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.bearerGet(t, "/v4/users/me/dataTypes/"+tt.dataType+"/dataPoints?"+tt.query.Encode(), token, nil)
			wantGoogleError(t, resp, http.StatusBadRequest, "INVALID_ARGUMENT")
		})
	}
	// The token does continue its own query, with another page size too.
	var next pointsPage
	if resp := f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints?pageSize=10000&pageToken="+weightToken, token, &next); resp.StatusCode != 200 {
		t.Fatalf("own page token: got %d", resp.StatusCode)
	}
	if got, want := len(next.DataPoints), len(wantPoints(t, f.emu, "weight"))-5; got != want || next.NextPageToken != "" {
		t.Errorf("rest after the first page: got %d points, want %d and no next page", got, want)
	}
	if strings.Contains(weightToken, "weight") {
		t.Errorf("page token %q is not opaque", weightToken)
	}
}
