package ihealth

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// page wraps records in a weight.json answer with the given WeightUnit.
func page(unit int, next string, records ...string) string {
	return fmt.Sprintf(`{"CurrentRecordCount":%d,"NextPageUrl":%q,"PageLength":50,"PageNumber":1,"PrevPageUrl":"","RecordCount":%d,"WeightUnit":%d,"WeightDataList":[%s]}`,
		len(records), next, len(records), unit, strings.Join(records, ","))
}

// record is one WeightDataList entry; fields overrides or adds keys.
func record(id string, mdate int64, fields string) string {
	base := fmt.Sprintf(`"BMI":24.31,"BoneValue":0,"DCI":0,"DataID":%q,"DataSource":"FromDevice","FatValue":21.4,"LastChangeTime":1767000123,"MDate":%d,"MuscaleValue":0,"Note":"","TimeZone":"+0100","WaterValue":55.2,"WeightValue":80.1234567,"userid":"u"`, id, mdate)
	if fields != "" {
		base += "," + fields // encoding/json keeps the last of duplicate keys
	}
	return "{" + base + "}"
}

func decodeOne(t *testing.T, unit int, rec string) (Record, Page) {
	t.Helper()
	p, err := DecodePage([]byte(page(unit, "", rec)))
	if err != nil {
		t.Fatalf("DecodePage: %v", err)
	}
	if len(p.Records) != 1 {
		t.Fatalf("%d records (skipped %v), want 1", len(p.Records), p.Skipped)
	}
	return p.Records[0], p
}

// TestMDateIsTheLocalClockAsIfUTC: MDate 1766996400 at +0100 is 08:20 local on 2025-12-29 (07:20Z): the stored
// date and clock are the local ones, never shifted by the zone.
func TestMDateIsTheLocalClockAsIfUTC(t *testing.T) {
	r, _ := decodeOne(t, UnitKg, record("9f8e7d6c5b4a39281706f5e4d3c2b1a0", 1766996400, ""))
	if r.Date != "2025-12-29" || r.Clock != "08:20:00" || r.Zone != "+01:00" {
		t.Errorf("got %s %s %s, want 2025-12-29 08:20:00 +01:00", r.Date, r.Clock, r.Zone)
	}
	if got := Shifted(time.Date(2025, 12, 29, 8, 20, 0, 0, time.FixedZone("", 3600))); got != 1766996400 {
		t.Errorf("Shifted = %d, want the same scale as MDate (1766996400)", got)
	}
}

// TestTimeZoneSpellings: every spelling iHealth uses, and values that are no offset.
func TestTimeZoneSpellings(t *testing.T) {
	cases := []struct {
		raw  string
		want string
	}{
		{`"-0800"`, "-08:00"}, {`"+0800"`, "+08:00"}, {`"0800"`, "+08:00"}, {`-8`, "-08:00"}, {`1`, "+01:00"},
		{`"-8"`, "-08:00"}, {`"+01:00"`, "+01:00"}, {`"+0530"`, "+05:30"}, {`5.5`, "+05:30"}, {`"-0000"`, "+00:00"},
		{`0`, "+00:00"}, {`-800`, "-08:00"},
		{`""`, ""}, {`null`, ""}, {`"+25:00"`, ""}, {`"+2500"`, ""}, {`15`, ""}, {`"Europe/London"`, ""}, {`"+01:75"`, ""}, {`true`, ""},
	}
	for _, c := range cases {
		got, ok := ParseZone(json.RawMessage(c.raw))
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ParseZone(%s) = %q, %v; want %q", c.raw, got, ok, c.want)
		}
	}
}

// TestTimeZoneUnreadableKeepsTheLocalTime: a TimeZone of "+25:00" loses the zone, never the weigh-in or its
// local date and time.
func TestTimeZoneUnreadableKeepsTheLocalTime(t *testing.T) {
	r, _ := decodeOne(t, UnitKg, record("a1", 1766996400, `"TimeZone":"+25:00"`))
	if r.Date != "2025-12-29" || r.Clock != "08:20:00" || r.Zone != "" {
		t.Errorf("got %s %s zone %q, want 2025-12-29 08:20:00 with no zone", r.Date, r.Clock, r.Zone)
	}
}

// TestLocalTimesAcrossDaylightSaving: London's clocks go forward on 2026-03-29; weigh-ins at 07:30 local on
// either side keep 07:30 and carry the offset of their own day.
func TestLocalTimesAcrossDaylightSaving(t *testing.T) {
	before := Shifted(time.Date(2026, 3, 28, 7, 30, 0, 0, time.UTC))
	after := Shifted(time.Date(2026, 3, 29, 7, 30, 0, 0, time.UTC))
	p, err := DecodePage([]byte(page(UnitKg, "", record("b1", before, `"TimeZone":"+0000"`), record("b2", after, `"TimeZone":1`))))
	if err != nil || len(p.Records) != 2 {
		t.Fatalf("DecodePage: %v, %d records", err, len(p.Records))
	}
	for i, want := range []string{"2026-03-28 07:30:00 +00:00", "2026-03-29 07:30:00 +01:00"} {
		r := p.Records[i]
		if got := r.Date + " " + r.Clock + " " + r.Zone; got != want {
			t.Errorf("record %d: %s, want %s", i, got, want)
		}
	}
}

// TestWeightUnitAppliesToEveryMass: the same weigh-in in kg, lb and stone accounts is the same kilograms, and so
// is its muscle mass.
func TestWeightUnitAppliesToEveryMass(t *testing.T) {
	const kg, muscle = 80.1234567, 35.5
	for unit, per := range map[int]float64{UnitKg: 1, UnitLb: 0.45359237, UnitStone: 6.35029318} {
		rec := record("c1", 1766996400, fmt.Sprintf(`"WeightValue":%v,"MuscaleValue":%v`, kg/per, muscle/per))
		r, _ := decodeOne(t, unit, rec)
		if math.Abs(r.WeightKg-kg) > 1e-9 || math.Abs(r.MuscleKg-muscle) > 1e-9 {
			t.Errorf("unit %d: %v kg, muscle %v kg; want %v and %v", unit, r.WeightKg, r.MuscleKg, kg, muscle)
		}
	}
	if _, err := DecodePage([]byte(page(3, "", record("c2", 1766996400, "")))); !errors.Is(err, ErrMalformed) {
		t.Errorf("WeightUnit 3: %v, want ErrMalformed", err)
	}
}

// TestZeroMeansNotMeasured: FatValue 0 is no body fat (nil), not 0 %; BMI 0 is no BMI.
func TestZeroMeansNotMeasured(t *testing.T) {
	r, _ := decodeOne(t, UnitKg, record("d1", 1766996400, `"FatValue":0,"BMI":0`))
	if r.FatPct != nil || r.BMI != nil {
		t.Errorf("fat %v, BMI %v; want both nil", r.FatPct, r.BMI)
	}
	r, _ = decodeOne(t, UnitKg, record("d2", 1766996400, `"FatValue":"21.4"`))
	if r.FatPct == nil || *r.FatPct != 21.4 {
		t.Errorf("fat as a numeric string: %v, want 21.4", r.FatPct)
	}
}

// TestMuscaleValueSpelling: iHealth's misspelled key is the one read.
func TestMuscaleValueSpelling(t *testing.T) {
	r, _ := decodeOne(t, UnitKg, record("e1", 1766996400, `"MuscaleValue":33.25`))
	if r.MuscleKg != 33.25 {
		t.Errorf("MuscleKg %v, want 33.25 from MuscaleValue", r.MuscleKg)
	}
}

// TestDataIDIsTheExternalID: the reading's row key is DataID; a record without one is skipped.
func TestDataIDIsTheExternalID(t *testing.T) {
	r, _ := decodeOne(t, UnitKg, record("0123456789abcdef0123456789abcdef", 1766996400, ""))
	if got := r.Reading().ExternalID; got != "0123456789abcdef0123456789abcdef" {
		t.Errorf("ExternalID %q", got)
	}
	p, _ := DecodePage([]byte(page(UnitKg, "", record("", 1766996400, ""))))
	if len(p.Records) != 0 || len(p.Skipped) != 1 {
		t.Errorf("record without DataID: %d read, %d skipped; want it skipped", len(p.Records), len(p.Skipped))
	}
}

// TestBadWeightValues: -1 and 900 kg are skipped (by DataID, so a mirror keeps them); 900 lb is 408 kg.
func TestBadWeightValues(t *testing.T) {
	p, err := DecodePage([]byte(page(UnitKg, "", record("f1", 1766996400, `"WeightValue":-1`),
		record("f2", 1766996400, `"WeightValue":900`), record("f3", 1766996400, `"WeightValue":0`), record("f4", 1766996400, ""))))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != 1 || p.Records[0].DataID != "f4" || len(p.Skipped) != 3 {
		t.Fatalf("read %v, skipped %v; want f4 read and f1-f3 skipped", p.Records, p.Skipped)
	}
	for _, s := range p.Skipped {
		if s.DataID == "" || s.Reason == "" {
			t.Errorf("skipped %+v without its id or reason", s)
		}
	}
	r, _ := decodeOne(t, UnitLb, record("f5", 1766996400, `"WeightValue":900`))
	if math.Abs(r.WeightKg-408.233133) > 1e-6 {
		t.Errorf("900 lb = %v kg", r.WeightKg)
	}
}

// TestErrorEnvelopeWithHTTP200: a body with a top-level Error is an error whatever the status, with ErrorCode
// a number or a string.
func TestErrorEnvelopeWithHTTP200(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 40, 0, 0, time.UTC)
	cases := []struct {
		status int
		body   string
		kind   error
		retry  time.Duration
	}{
		{200, `{"Error":"unauthorized_token","ErrorCode":2002,"ErrorDescription":"Token is Unauthorized."}`, ErrUnauthorized, 0},
		{200, `{"BackValue":"null","Client_Para":"null","Error":"limits_hour_error","ErrorCode":"503","ErrorDescription":"Reached the one-hour access limit"}`, ErrRateLimited, 20 * time.Minute},
		{200, `{"Error":"SC_or_SV_is_not_authorized","ErrorCode":"0003","ErrorDescription":"x"}`, ErrAppCredentials, 0},
		{200, `{"Error":"unauthorized_APIName","ErrorCode":2003,"ErrorDescription":"x"}`, ErrForbidden, 0},
		{200, `{"Error":"user_region_unavailable","ErrorCode":2005,"ErrorDescription":"user region is : openapi.ihealthlabs.eu"}`, ErrRegion, 0},
		{400, `{"Error":"invalid_APIName","ErrorCode":5004,"ErrorDescription":"x"}`, ErrBadRequest, 0},
		{503, `<html>busy</html>`, ErrRateLimited, burstWait},
		{500, `<html>oops</html>`, ErrUnavailable, 0},
	}
	for _, c := range cases {
		e := classify(&http.Response{StatusCode: c.status, Header: http.Header{}}, []byte(c.body), now)
		if e == nil || !errors.Is(e, c.kind) || e.RetryIn() != c.retry {
			t.Errorf("%d %s: %v (retry %v), want %v (retry %v)", c.status, c.body, e, e.RetryIn(), c.kind, c.retry)
			continue
		}
		if strings.Contains(e.Error(), "ihealthlabs.eu") || strings.Contains(e.Error(), "Token is") {
			t.Errorf("error %q quotes the description", e)
		}
	}
	if e := classify(&http.Response{StatusCode: 200}, []byte(page(0, "")), now); e != nil {
		t.Errorf("a page is not an error: %v", e)
	}
}

// TestHTMLErrorPageInsteadOfJSON: an HTML page with HTTP 200 is a malformed answer, never an empty page.
func TestHTMLErrorPageInsteadOfJSON(t *testing.T) {
	body := []byte("<!DOCTYPE html><html><body>Runtime Error</body></html>")
	if e := classify(&http.Response{StatusCode: 200}, body, time.Now()); e != nil {
		t.Fatalf("classify: %v", e)
	}
	if _, err := DecodePage(body); !errors.Is(err, ErrMalformed) {
		t.Errorf("DecodePage(HTML) = %v, want ErrMalformed", err)
	}
	if _, err := DecodePage([]byte(`{"foo":1}`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("DecodePage of another object = %v, want ErrMalformed", err)
	}
}
