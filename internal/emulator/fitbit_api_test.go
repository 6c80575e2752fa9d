package emulator

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type weightLogBody struct {
	Weight []struct {
		Date   string   `json:"date"`
		Time   string   `json:"time"`
		LogID  int64    `json:"logId"`
		Weight float64  `json:"weight"`
		Fat    *float64 `json:"fat"`
	} `json:"weight"`
}

// lastDay is the date of the history's last weigh-in; ranges in these tests end there.
func lastDay(t *testing.T, e *Emulator) time.Time {
	logs := e.WeightLogs()
	d, err := time.Parse(dateLayout, logs[len(logs)-1].Date)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// logIDsBetween is what a log request for start..end must return, from the canonical history.
func logIDsBetween(e *Emulator, start, end time.Time, fatOnly bool) []int64 {
	var ids []int64
	for _, l := range e.WeightLogs() {
		if l.Date >= start.Format(dateLayout) && l.Date <= end.Format(dateLayout) && (l.HasFat || !fatOnly) {
			ids = append(ids, l.LogID)
		}
	}
	return ids
}

func TestLogRanges(t *testing.T) {
	f := newFixture(t, Options{})
	api := f.apiClient(t)
	end := lastDay(t, f.emu)
	d := func(days int) string { return end.AddDate(0, 0, days).Format(dateLayout) }
	today := civilDate(f.clock.Now().In(f.emu.loc))
	tests := []struct {
		name       string
		resource   string // weight or fat
		path       string // after .../body/log/{resource}/date/
		start, end time.Time
		status     int
		field      string
	}{
		{"one day", "weight", d(0), end, end, 200, ""},
		{"31 days", "weight", d(-30) + "/" + d(0), end.AddDate(0, 0, -30), end, 200, ""},
		{"32 days", "weight", d(-31) + "/" + d(0), time.Time{}, time.Time{}, 400, "end-date"},
		{"fat 31 days", "fat", d(-30) + "/" + d(0), end.AddDate(0, 0, -30), end, 200, ""},
		{"fat 32 days", "fat", d(-31) + "/" + d(0), time.Time{}, time.Time{}, 400, "end-date"},
		{"end before start", "weight", d(0) + "/" + d(-1), time.Time{}, time.Time{}, 400, "end-date"},
		{"bad date", "weight", "2024-13-01", time.Time{}, time.Time{}, 400, "base-date"},
		{"1d", "weight", d(0) + "/1d", end, end, 200, ""},
		{"7d", "weight", d(0) + "/7d", end.AddDate(0, 0, -6), end, 200, ""},
		{"1w", "fat", d(0) + "/1w", end.AddDate(0, 0, -6), end, 200, ""},
		{"30d", "weight", d(0) + "/30d", end.AddDate(0, 0, -29), end, 200, ""},
		{"1m", "weight", d(0) + "/1m", end.AddDate(0, -1, 1), end, 200, ""},
		{"3m unsupported", "weight", d(0) + "/3m", time.Time{}, time.Time{}, 400, "period"},
		{"unknown period", "weight", d(0) + "/2d", time.Time{}, time.Time{}, 400, "period"},
		{"today", "weight", "today", today, today, 200, ""},
		{"today/7d", "weight", "today/7d", today.AddDate(0, 0, -6), today, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body struct {
				weightLogBody
				Fat []struct {
					LogID int64 `json:"logId"`
				} `json:"fat"`
			}
			resp := get(t, api, f.srv.URL+"/1/user/-/body/log/"+tt.resource+"/date/"+tt.path+".json", "", &body)
			if tt.status != http.StatusOK {
				wantError(t, resp, tt.status, "validation", tt.field)
				return
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got status %d, want 200", resp.StatusCode)
			}
			var got []int64
			for _, w := range body.Weight {
				got = append(got, w.LogID)
			}
			for _, w := range body.Fat {
				got = append(got, w.LogID)
			}
			want := logIDsBetween(f.emu, tt.start, tt.end, tt.resource == "fat")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("logIds (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTimeSeries(t *testing.T) {
	f := newFixture(t, Options{})
	api := f.apiClient(t)
	end := lastDay(t, f.emu)
	d := func(days int) string { return end.AddDate(0, 0, days).Format(dateLayout) }
	back := func(to time.Time) int { return int(end.Sub(to).Hours() / 24) }
	tests := []struct {
		name, resource, path string
		days                 int    // how far back the range starts
		field                string // the field an error names; "" for a 200
	}{
		{"1095 days", "weight", d(-1094) + "/" + d(0), 1094, ""},
		{"1096 days", "weight", d(-1095) + "/" + d(0), 0, "end-date"},
		{"bmi 3m", "bmi", d(0) + "/3m", back(end.AddDate(0, -3, 1)), ""},
		{"fat 1y", "fat", d(0) + "/1y", back(end.AddDate(-1, 0, 1)), ""},
		{"weight 6m", "weight", d(0) + "/6m", back(end.AddDate(0, -6, 1)), ""},
		{"max", "weight", d(0) + "/max", 5000, ""},
		{"bad period", "fat", d(0) + "/2y", 0, "period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body map[string][]struct {
				DateTime string `json:"dateTime"`
				Value    string `json:"value"`
			}
			resp := get(t, api, f.srv.URL+"/1/user/-/body/"+tt.resource+"/date/"+tt.path+".json", "", &body)
			if tt.field != "" {
				wantError(t, resp, http.StatusBadRequest, "validation", tt.field)
				return
			}
			// One point per day with a measurement: the day's last reading.
			want := map[string]string{}
			from := end.AddDate(0, 0, -tt.days).Format(dateLayout)
			for _, l := range f.emu.WeightLogs() {
				v := map[string]float64{"weight": l.WeightKg, "bmi": l.BMI, "fat": l.FatPct}[tt.resource]
				if l.Date >= from && (l.HasFat || tt.resource != "fat") {
					want[l.Date] = strconv.FormatFloat(v, 'f', -1, 64)
				}
			}
			got := map[string]string{}
			for _, p := range body["body-"+tt.resource] {
				if _, dup := got[p.DateTime]; dup {
					t.Errorf("two points for %s", p.DateTime)
				}
				got[p.DateTime] = p.Value
			}
			if len(want) == 0 {
				t.Fatal("the range holds no measurement; the test proves nothing")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("series (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnits(t *testing.T) {
	f := newFixture(t, Options{})
	api := f.apiClient(t)
	logs := f.emu.WeightLogs()
	latest := logs[len(logs)-1]
	tests := []struct {
		lang           string
		weight, height float64
	}{
		{"", latest.WeightKg, 178},
		{"en_US", round(latest.WeightKg/0.45359237, 2), round(178/2.54, 2)},
		{"en-US,en;q=0.9", round(latest.WeightKg/0.45359237, 2), round(178/2.54, 2)},
		{"en_GB", round(latest.WeightKg/6.35029318, 2), 178},
		{"fr_FR", latest.WeightKg, 178},
	}
	for _, tt := range tests {
		t.Run("lang="+tt.lang, func(t *testing.T) {
			var profile struct {
				User struct{ Weight, Height float64 } `json:"user"`
			}
			get(t, api, f.srv.URL+"/1/user/-/profile.json", tt.lang, &profile)
			if profile.User.Weight != tt.weight || profile.User.Height != tt.height {
				t.Errorf("profile: got weight %v height %v, want %v %v", profile.User.Weight, profile.User.Height, tt.weight, tt.height)
			}
			var logBody weightLogBody
			get(t, api, f.srv.URL+"/1/user/-/body/log/weight/date/"+latest.Date+".json", tt.lang, &logBody)
			if n := len(logBody.Weight); n == 0 || logBody.Weight[n-1].Weight != tt.weight {
				t.Errorf("weight log: got %+v, want last weight %v", logBody.Weight, tt.weight)
			}
			var series map[string][]struct{ Value string }
			get(t, api, f.srv.URL+"/1/user/-/body/weight/date/"+latest.Date+"/1d.json", tt.lang, &series)
			if s := series["body-weight"]; len(s) != 1 || s[0].Value != strconv.FormatFloat(tt.weight, 'f', -1, 64) {
				t.Errorf("series: got %+v, want one value %v", s, tt.weight)
			}
			var body struct {
				Body struct{ Weight, BMI float64 } `json:"body"`
			}
			get(t, api, f.srv.URL+"/1/user/-/body/date/"+latest.Date+".json", tt.lang, &body)
			if body.Body.Weight != tt.weight || body.Body.BMI != latest.BMI {
				t.Errorf("body: got %+v, want weight %v bmi %v", body.Body, tt.weight, latest.BMI)
			}
		})
	}
}

func TestAPIRefusals(t *testing.T) {
	f := newFixture(t, Options{})
	api := f.apiClient(t)
	tests := []struct {
		name, path       string
		status           int
		errorType, field string
	}{
		{"unknown resource", "/1/user/-/activities/steps/date/today/1d.json", 404, "not_found", "n/a"},
		{"no .json", "/1/user/-/profile", 404, "not_found", "n/a"},
		{"another user", "/1/user/ABC123/profile.json", 403, "insufficient_permissions", "user"},
		{"own encoded id", "/1/user/" + f.emu.User().EncodedID + "/profile.json", 200, "", ""},
		{"empty day", "/1/user/-/body/date/1990-01-01.json", 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, api, f.srv.URL+tt.path, "", nil)
			if tt.status != http.StatusOK {
				wantError(t, resp, tt.status, tt.errorType, tt.field)
				return
			}
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != jsonContentType {
				t.Errorf("got %d %q, want 200 %q", resp.StatusCode, resp.Header.Get("Content-Type"), jsonContentType)
			}
		})
	}
}
