package withings

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

// One page with a single group; measures and zone vary per case.
func pageWith(zone, measures string, attrib string) string {
	return `{"status":0,"body":{"updatetime":1767300000,"timezone":"` + zone + `","more":0,"offset":0,"measuregrps":[` +
		`{"grpid":6120334455,"attrib":` + attrib + `,"date":1767250800,"created":1767250900,"modified":1767250900,"category":1,` +
		`"deviceid":"9c1e","hash_deviceid":"9c1e","modelid":6,"model":"Body Cardio","comment":null,"measures":[` + measures + `]}]}}`
}

// sourceOf is a complete-history Source (no profile step) against srv, with a stored height of 1.78 m.
func sourceOf(t *testing.T, srvURL string) *Source {
	t.Helper()
	src, err := NewSource(NewClient(http.DefaultClient, srvURL), provider.SourceEnv{
		Account: provider.Account{UserID: "1", Profile: provider.Profile{TimeZone: "Europe/Paris", HeightCm: 178}},
		Cursor:  []byte(`{"complete":true,"since":1767000000}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func onlyStep(t *testing.T, body string) provider.Step {
	t.Helper()
	step, err := sourceOf(t, canned(t, http.StatusOK, body).URL).Next(context.Background())
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return step
}

func TestQuirkEnvelope(t *testing.T) {
	// Every answer is HTTP 200; only status 0 carries data.
	step := onlyStep(t, pageWith("Europe/Paris", `{"value":7845,"type":1,"unit":-2}`, "0"))
	if len(step.Readings) != 1 || step.Readings[0].WeightKg != 78.45 {
		t.Fatalf("status 0: %+v", step.Readings)
	}
	_, err := sourceOf(t, canned(t, http.StatusOK, `{"status":401,"body":{},"error":"XRequestID: Not provided invalid_token: The access token provided is invalid"}`).URL).Next(context.Background())
	assertStatus(t, err, provider.ErrUnauthorized, 401)
	if strings.Contains(err.Error(), "XRequestID") {
		t.Errorf("the answer's text is not quoted: %v", err)
	}
}

func TestQuirkExponent(t *testing.T) {
	for _, c := range []struct {
		measure string
		kg      float64
	}{
		{`{"value":7845,"type":1,"unit":-2}`, 78.45},
		{`{"value":78450,"type":1,"unit":-3}`, 78.45},
		{`{"value":784512,"type":1,"unit":-4}`, 78.4512},
		{`{"value":"65750","type":"1","unit":"-3"}`, 65.75}, // numbers as strings
		{`{"value":8,"type":1,"unit":1}`, 80},
	} {
		step := onlyStep(t, pageWith("Europe/Paris", c.measure, "0"))
		if len(step.Readings) != 1 || step.Readings[0].WeightKg != c.kg {
			t.Errorf("%s: %+v, want %v kg", c.measure, step.Readings, c.kg)
		}
	}
}

func TestQuirkAttrib(t *testing.T) {
	for attrib, unclaimed := range map[string]bool{"0": false, "8": false, "7": false, "2": false, "4": false, "15": false,
		"1": true, "3": true, "10": true, "10009": true} {
		step := onlyStep(t, pageWith("Europe/Paris", `{"value":7845,"type":1,"unit":-2}`, attrib))
		if len(step.Readings) != 1 || step.Readings[0].Unclaimed != unclaimed {
			t.Errorf("attrib %s: %+v, want unclaimed %t", attrib, step.Readings, unclaimed)
		}
		if m := step.Readings[0].Method; (attrib == "2" || attrib == "4") != (m == provider.Manual) {
			t.Errorf("attrib %s: method %s", attrib, m)
		}
	}
}

func TestQuirkUserIDNumberOrString(t *testing.T) {
	for _, asString := range []bool{false, true} {
		h := newHarness(t, 10, emulator.WithingsOptions{UserIDString: asString})
		if tok := h.connect(t); tok.UserID != "4827163" {
			t.Errorf("userid as string %t: %q", asString, tok.UserID)
		}
	}
	for body, want := range map[string]string{`{"userid":363}`: "363", `{"userid":"363"}`: "363", `{"userid":null}`: "", `{}`: ""} {
		var b tokenBody
		if err := jsonUnmarshal(body, &b); err != nil || string(b.UserID) != want {
			t.Errorf("%s: %q, %v", body, b.UserID, err)
		}
	}
	var b tokenBody
	if err := jsonUnmarshal(`{"userid":{"x":1}}`, &b); err == nil {
		t.Errorf("an object as userid is refused")
	}
}

func TestQuirkMoreAndOffsetTypes(t *testing.T) {
	for body, more := range map[string]bool{
		`{"measuregrps":[],"more":true,"offset":5}`: true, `{"measuregrps":[],"more":1,"offset":"5"}`: true,
		`{"measuregrps":[]}`: false, `{"measuregrps":[],"more":false}`: false, `{"measuregrps":[],"updatetime":"1767300000"}`: false,
	} {
		p, err := decodePage([]byte(body))
		if err != nil || p.More != more {
			t.Errorf("%s: more %t, %v", body, p.More, err)
		}
	}
	if _, err := decodePage([]byte(`{"measuregrps":[],"more":1}`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("more without an offset: %v", err)
	}
}

func TestQuirkSameDateGroupsOneReadingPerGrpid(t *testing.T) {
	body := `{"status":0,"body":{"timezone":"Europe/Paris","measuregrps":[` +
		`{"grpid":1,"attrib":0,"date":1767250800,"category":1,"measures":[{"value":7845,"type":1,"unit":-2},{"value":21512,"type":6,"unit":-3}]},` +
		`{"grpid":2,"attrib":8,"date":1767250800,"category":1,"measures":[{"value":7100,"type":91,"unit":-3}]},` +
		`{"grpid":1,"attrib":0,"date":1767250800,"category":1,"measures":[{"value":7845,"type":1,"unit":-2}]}]}}`
	step := onlyStep(t, body)
	if len(step.Readings) != 1 || step.Readings[0].ExternalID != "1" || *step.Readings[0].FatPct != 21.512 {
		t.Fatalf("readings %+v", step.Readings)
	}
	if r := step.Readings[0]; r.Date != "2026-01-01" || r.Clock != "08:00:00" || r.Zone != "Europe/Paris" || *r.BMI != 24.76 {
		t.Errorf("local time and BMI: %s %s %s %v", r.Date, r.Clock, r.Zone, *r.BMI)
	}
}

func TestBadInput(t *testing.T) {
	weight := `{"value":7845,"type":1,"unit":-2}`
	skipped := []struct{ name, measures string }{
		{"NoWeight", `{"value":21512,"type":6,"unit":-3},{"value":1688,"type":8,"unit":-2}`},
		{"UnitOf30", `{"value":7845,"type":1,"unit":30}`},
		{"UnitOfMinus30", `{"value":7845,"type":1,"unit":-30}`},
		{"ValueZero", `{"value":0,"type":1,"unit":-2}`},
		{"ValueNegative", `{"value":-7845,"type":1,"unit":-2}`},
		{"Implausible", `{"value":99999,"type":1,"unit":0}`},
		{"NoMeasures", ``},
		{"NoUnit", `{"value":7845,"type":1}`},
		{"ValueNotAnInteger", `{"value":78.5,"type":1,"unit":0},{"value":"x","type":1,"unit":0}`},
	}
	for _, c := range skipped {
		t.Run(c.name, func(t *testing.T) {
			step := onlyStep(t, pageWith("Europe/Paris", c.measures, "0"))
			if len(step.Readings) != 0 || !step.Done {
				t.Errorf("want the group skipped and the sync done: %+v", step)
			}
		})
	}
	t.Run("BadFatKeepsTheWeight", func(t *testing.T) {
		step := onlyStep(t, pageWith("Europe/Paris", weight+`,{"value":0,"type":6,"unit":-3},{"value":9999,"type":8,"unit":-2}`, "0"))
		if len(step.Readings) != 1 || step.Readings[0].FatPct != nil {
			t.Errorf("%+v", step.Readings)
		}
	})
	t.Run("TimezoneNotIANA", func(t *testing.T) {
		for _, tz := range []string{"CEST", "+01:00", "Mars/Olympus", "", "../../etc/passwd"} {
			src := sourceOf(t, canned(t, http.StatusOK, pageWith(tz, weight, "0")).URL)
			src.zoneName, src.zone = "", zone{} // no stored zone either
			src.zone, _ = zoneOf("")
			step, err := src.Next(context.Background())
			if err != nil || len(step.Readings) != 1 {
				t.Fatalf("%q: %+v, %v", tz, step, err)
			}
			if r := step.Readings[0]; r.Zone != "+00:00" || r.Clock != "07:00:00" || (step.Profile != nil && step.Profile.TimeZone != "") {
				t.Errorf("%q: dated %s %s %s, profile %+v", tz, r.Date, r.Clock, r.Zone, step.Profile)
			}
		}
	})
	errorsByBody := []struct {
		name   string
		status int
		body   string
		kind   error
	}{
		{"NotJSON", 200, `<html>oops</html>`, provider.ErrMalformed},
		{"Truncated", 200, pageWith("Europe/Paris", weight, "0")[:80], provider.ErrMalformed},
		{"NoStatus", 200, `{"body":{}}`, provider.ErrMalformed},
		{"BodyNotAnObject", 200, `{"status":0,"body":"x"}`, provider.ErrMalformed},
		{"GroupsNotAList", 200, `{"status":0,"body":{"measuregrps":{}}}`, provider.ErrMalformed},
		{"Status401", 200, `{"status":401,"body":{}}`, provider.ErrUnauthorized},
		{"Status503", 200, `{"status":503,"body":{},"error":"Invalid Params"}`, provider.ErrBadRequest},
		{"Status601", 200, `{"status":601,"body":{"wait_seconds":42}}`, provider.ErrRateLimited},
		{"Status2554", 200, `{"status":2554,"body":{}}`, provider.ErrBadRequest},
		{"Status2555", 200, `{"status":2555,"body":{}}`, provider.ErrForbidden},
		{"Status522", 200, `{"status":522,"body":{}}`, provider.ErrUnavailable},
		{"StatusUnknown", 200, `{"status":9999,"body":{}}`, provider.ErrUnavailable},
		{"HTTP502", 502, `<html>Bad Gateway</html>`, provider.ErrUnavailable},
		{"HTTP429", 429, ``, provider.ErrRateLimited},
	}
	for _, c := range errorsByBody {
		t.Run(c.name, func(t *testing.T) {
			src := sourceOf(t, canned(t, c.status, c.body).URL)
			before := *src
			_, err := src.Next(context.Background())
			if !errors.Is(err, c.kind) {
				t.Fatalf("got %v, want %v", err, c.kind)
			}
			if src.offset != before.offset || src.since != before.since || src.state != before.state {
				t.Errorf("a failed Next changed the Source")
			}
			if s := (&Provider{}).Describe(err); !strings.Contains(s, "Withings") || !strings.HasSuffix(s, ".") {
				t.Errorf("no sentence for %v: %q", err, s)
			}
		})
	}
	t.Run("WaitSeconds", func(t *testing.T) {
		_, err := sourceOf(t, canned(t, 200, `{"status":601,"body":{"wait_seconds":42}}`).URL).Next(context.Background())
		if got := provider.RetryAfter(err); got.Seconds() != 42 {
			t.Errorf("RetryIn %v, want 42s", got)
		}
		_, err = sourceOf(t, canned(t, 200, `{"status":601,"body":{}}`).URL).Next(context.Background())
		if got := provider.RetryAfter(err); got.Seconds() != 60 {
			t.Errorf("RetryIn without wait_seconds %v, want a minute", got)
		}
	})
}

func TestDescribeEveryStatus(t *testing.T) {
	p := &Provider{}
	seen := map[string]int{}
	for _, status := range []int{401, 503, 601, 2554, 2555, 522, 9999} {
		s := p.Describe(&StatusError{Status: status, kind: statusKind(status)})
		if !strings.Contains(s, "Withings") || !strings.Contains(s, "status") {
			t.Errorf("status %d: %q", status, s)
		}
		seen[s]++
	}
	if len(seen) < 6 {
		t.Errorf("the statuses share sentences: %v", seen)
	}
	if s := p.Describe(errors.New("something else")); s != "" {
		t.Errorf("an error of no Withings kind falls back to provider.Describe: %q", s)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
