package googlehealth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	health "google.golang.org/api/health/v4"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

// exchange is one request the app sent and the answer it got.
type exchange struct {
	req  *http.Request
	body []byte
	code int
}

// recorder authorises requests with a bearer token and records every exchange.
type recorder struct {
	token string
	mu    sync.Mutex
	log   []exchange
}

func (rec *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+rec.token)
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	rec.log = append(rec.log, exchange{r, body, resp.StatusCode})
	rec.mu.Unlock()
	return resp, nil
}

func (rec *recorder) exchanges() []exchange {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.log)
}

// emulated is the emulator serving one Google account, with a token granting scopes.
type emulated struct {
	emu *emulator.Emulator
	url string
	rec *recorder
}

func newEmulated(t *testing.T, opts emulator.Options, scopes ...string) *emulated {
	t.Helper()
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	emu.AddOAuth2Client("cid", "secret", "http://127.0.0.1/callback")
	return &emulated{emu: emu, url: srv.URL, rec: &recorder{token: emu.IssueGoogleToken("cid", scopes...)}}
}

// sync runs a Source to the end from cursor, returning the readings, the profile steps and the last cursor.
func (e *emulated) sync(t *testing.T, cursor []byte, pageSize int, stopAfter int) syncResult {
	t.Helper()
	src, err := NewSource(NewClient(&http.Client{Transport: e.rec}, e.url), provider.SourceEnv{Cursor: cursor}, pageSize)
	if err != nil {
		t.Fatal(err)
	}
	var res syncResult
	res.cursor = cursor
	for i := 0; ; i++ {
		if stopAfter > 0 && i == stopAfter {
			return res
		}
		step, err := src.Next(context.Background())
		res.requests++
		if err != nil {
			res.err = err
			return res
		}
		if step.Profile != nil {
			res.profile = *step.Profile
		}
		res.readings = append(res.readings, step.Readings...)
		if step.Cursor != nil {
			res.cursor = step.Cursor
		}
		if step.Done {
			res.done = true
			return res
		}
		if i > 10000 {
			t.Fatal("the sync does not end")
		}
	}
}

type syncResult struct {
	readings []provider.Reading
	profile  provider.Profile
	cursor   []byte
	requests int
	done     bool
	err      error
}

var allScopes = append(slices.Clone(Scopes), OptionalScopes...)

// TestScopesConform: every scope asked for exists, and the required ones alone open every method a sync needs
// but the settings.
func TestScopesConform(t *testing.T) {
	d := loadDiscovery(t)
	for _, s := range allScopes {
		if _, ok := d.Auth.OAuth2.Scopes[s]; !ok {
			t.Errorf("scope %q is not in the discovery document", s)
		}
	}
	for _, id := range []string{"health.users.getIdentity", "health.users.getProfile", "health.users.dataTypes.dataPoints.list"} {
		m := findMethod(t, d, id)
		if !slices.ContainsFunc(m.Scopes, func(s string) bool { return slices.Contains(Scopes, s) }) {
			t.Errorf("%s takes %q: the required scopes do not open it", id, m.Scopes)
		}
	}
	if m := findMethod(t, d, "health.users.getSettings"); !slices.Equal(m.Scopes, []string{ScopeSettings}) {
		t.Errorf("getSettings takes %q, want only %q", m.Scopes, ScopeSettings)
	}
}

func findMethod(t *testing.T, d *discovery, id string) method {
	t.Helper()
	for _, m := range d.methods() {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("method %s is not in the discovery document", id)
	return method{}
}

// TestRequestsConform: every request a sync sends (a fresh one in short pages, a resumed one whose page token
// was forgotten, a re-check, identity) is a method of the discovery document with its parameters, a page size
// in bounds, a documented filter, and scopes that open it; and every answer the emulator gave reads as the
// official types with no field they do not define, enum values they list, and nothing proto3 JSON would omit.
func TestRequestsConform(t *testing.T) {
	d := loadDiscovery(t)
	e := newEmulated(t, emulator.Options{Years: 2}, allScopes...)
	e.emu.SetGoogleMaxPageSize(100)
	half := e.sync(t, nil, 300, 8)
	e.emu.ExpireGooglePageTokens()
	full := e.sync(t, half.cursor, 300, 0)
	if full.err != nil || !full.done {
		t.Fatalf("resumed sync: %v", full.err)
	}
	if again := e.sync(t, full.cursor, 0, 0); again.err != nil {
		t.Fatalf("re-check: %v", again.err)
	}
	if _, err := NewClient(&http.Client{Transport: e.rec}, e.url).Identity(context.Background()); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, x := range e.rec.exchanges() {
		if err := d.checkRequest(x.req, allScopes); err != nil {
			t.Errorf("request %s: %v", x.req.URL.RequestURI(), err)
			continue
		}
		m, _, _ := d.methodFor(x.req.Method, x.req.URL.Path)
		seen[m.ID] = true
		if x.code == http.StatusOK {
			if err := conforms(d, m.ID, x.body); err != nil {
				t.Errorf("answer to %s: %v", x.req.URL.Path, err)
			}
		}
	}
	for _, id := range []string{"health.users.getIdentity", "health.users.getProfile", "health.users.getSettings", "health.users.dataTypes.dataPoints.list"} {
		if !seen[id] {
			t.Errorf("no request exercised %s", id)
		}
	}
}

// conforms decodes an answer as the official type of the method, refusing unknown fields, checks its enum values
// against the document and that marshalling the official value gives the same JSON back.
func conforms(d *discovery, methodID string, body []byte) error {
	var v any
	switch methodID {
	case "health.users.getIdentity":
		v = &health.Identity{}
	case "health.users.getProfile":
		v = &health.Profile{}
	case "health.users.getSettings":
		v = &health.Settings{}
	case "health.users.dataTypes.dataPoints.list":
		v = &health.ListDataPointsResponse{}
	default:
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	again, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var a, b any
	json.Unmarshal(body, &a)
	json.Unmarshal(again, &b)
	if diff := cmp.Diff(b, a); diff != "" {
		return fmt.Errorf("differs from the official type's JSON (-official +served):\n%s", diff)
	}
	schemaName := map[string]string{"health.users.getIdentity": "Identity", "health.users.getProfile": "Profile",
		"health.users.getSettings": "Settings", "health.users.dataTypes.dataPoints.list": "ListDataPointsResponse"}[methodID]
	return checkEnums(d, schemaName, a)
}

// checkEnums walks a decoded answer along its schema and refuses enum values the document does not list.
func checkEnums(d *discovery, name string, v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	for k, val := range obj {
		p := d.Schemas[name].Properties[k]
		if err := checkProperty(d, name+"."+k, p, val); err != nil {
			return err
		}
	}
	return nil
}

func checkProperty(d *discovery, at string, p property, val any) error {
	switch {
	case len(p.Enum) > 0:
		if s, _ := val.(string); !slices.Contains(p.Enum, s) {
			return fmt.Errorf("%s = %v is not one of %q", at, val, p.Enum)
		}
	case p.Ref != "":
		return checkEnums(d, p.Ref, val)
	case p.Items != nil:
		list, _ := val.([]any)
		for _, item := range list {
			if err := checkProperty(d, at+"[]", *p.Items, item); err != nil {
				return err
			}
		}
	}
	return nil
}

// officialPage marshals a list answer built from the official types, as Google's servers would send it.
func officialPage(t *testing.T, next string, points ...*health.DataPoint) string {
	t.Helper()
	b, err := json.Marshal(&health.ListDataPointsResponse{DataPoints: points, NextPageToken: next})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sampleAt(physical, offset string, civil *health.CivilDateTime) *health.ObservationSampleTime {
	return &health.ObservationSampleTime{PhysicalTime: physical, UtcOffset: offset, CivilTime: civil}
}

func civilAt(y, mo, d, h, mi, s int64) *health.CivilDateTime {
	return &health.CivilDateTime{Date: &health.Date{Year: y, Month: mo, Day: d}, Time: &health.TimeOfDay{Hours: h, Minutes: mi, Seconds: s}}
}

// TestDecodersReadOfficialTypes: JSON marshalled from the official types, zero values omitted as proto3 JSON omits
// them (a weigh-in at 07:00:00 has a time of {"hours":7}, one at midnight a time of {}), reads as it should.
func TestDecodersReadOfficialTypes(t *testing.T) {
	aria := &health.DataSource{Platform: "FITBIT", RecordingMethod: "ACTIVELY_MEASURED",
		Device: &health.Device{DisplayName: "Aria Air", Manufacturer: "Fitbit", FormFactor: "SCALE"}}
	withings := &health.DataSource{Platform: "HEALTH_CONNECT", RecordingMethod: "ACTIVELY_MEASURED",
		Device:      &health.Device{DisplayName: "Body+", Manufacturer: "Withings", FormFactor: "SCALE"},
		Application: &health.Application{PackageName: "com.withings.wiscale2"}}
	points := []*health.DataPoint{
		{Name: "users/1/dataTypes/weight/dataPoints/1", DataSource: aria,
			Weight: &health.Weight{WeightGrams: 82400, SampleTime: sampleAt("2026-01-02T07:00:00Z", "0s", civilAt(2026, 1, 2, 7, 0, 0))}},
		{Name: "users/1/dataTypes/weight/dataPoints/2", DataSource: withings,
			Weight: &health.Weight{WeightGrams: 82437.5, SampleTime: sampleAt("2026-01-01T23:00:00Z", "3600s", civilAt(2026, 1, 2, 0, 0, 0))}},
		{Name: "users/1/dataTypes/weight/dataPoints/3", DataSource: &health.DataSource{Platform: "FITBIT", RecordingMethod: "MANUAL"},
			Weight: &health.Weight{WeightGrams: 90000, Notes: "after lunch", SampleTime: sampleAt("2026-01-02T03:15:00.250Z", "-18000s", nil)}},
	}
	c, _ := serve(t, ok(officialPage(t, "", points...)))
	page, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{
		{ID: "users/1/dataTypes/weight/dataPoints/1", Time: day(t, "2026-01-02T07:00:00Z"), Date: "2026-01-02", Clock: "07:00:00",
			Value: 82.4, Source: "Aria Air", Method: provider.Device},
		{ID: "users/1/dataTypes/weight/dataPoints/2", Time: day(t, "2026-01-01T23:00:00Z"), Offset: time.Hour, Date: "2026-01-02",
			Clock: "00:00:00", Value: 82.4375, Source: "Health Connect · Withings", Method: provider.Copy},
		{ID: "users/1/dataTypes/weight/dataPoints/3", Time: day(t, "2026-01-02T03:15:00.25Z"), Offset: -5 * time.Hour, Date: "2026-01-01",
			Clock: "22:15:00", Value: 90, Source: "manual", Method: provider.Manual},
	}
	if diff := cmp.Diff(want, page.Samples); diff != "" {
		t.Errorf("weights (-want +got):\n%s", diff)
	}

	fat := &health.DataPoint{Name: "users/1/dataTypes/body-fat/dataPoints/1", DataSource: aria,
		BodyFat: &health.BodyFat{Percentage: 21.4, SampleTime: sampleAt("2026-01-02T07:00:00Z", "0s", civilAt(2026, 1, 2, 7, 0, 0))}}
	c, _ = serve(t, ok(officialPage(t, "next", fat)))
	fp, err := c.BodyFat(context.Background(), time.Time{}, time.Time{}, 0, "")
	if err != nil || len(fp.Samples) != 1 || fp.Samples[0].Value != 21.4 || fp.NextPageToken != "next" {
		t.Errorf("body fat = %+v, %v", fp, err)
	}

	heights := []*health.DataPoint{
		{Name: "users/1/dataTypes/height/dataPoints/9", Height: &health.Height{HeightMillimeters: 0, SampleTime: sampleAt("2026-03-01T08:00:00Z", "0s", nil)}},
		{Name: "users/1/dataTypes/height/dataPoints/8", Height: &health.Height{HeightMillimeters: 1785, SampleTime: sampleAt("2026-02-01T08:00:00Z", "0s", nil)}},
	}
	body := officialPage(t, "", heights...)
	if !strings.Contains(body, `"heightMillimeters":"1785"`) {
		t.Fatalf("the official type does not write int64 as a string: %s", body)
	}
	c, _ = serve(t, ok(body))
	hp, err := c.Heights(context.Background(), HeightPageSize, "")
	if err != nil || len(hp.Heights) != 1 || hp.Heights[0].Cm != 178.5 || hp.Skipped != 1 {
		t.Errorf("heights = %+v, %v; want 178.5 cm and the zero one skipped", hp, err)
	}

	prof, _ := json.Marshal(&health.Profile{Name: "users/1/profile", Age: 41, MembershipStartDate: &health.Date{Year: 2016, Month: 3, Day: 9}})
	set, _ := json.Marshal(&health.Settings{Name: "users/1/settings", WeightUnit: "WEIGHT_UNIT_POUNDS", HeightUnit: "HEIGHT_UNIT_INCHES",
		TimeZone: "America/Chicago", UtcOffset: "-21600s", DistanceUnit: "DISTANCE_UNIT_MILES"})
	id, _ := json.Marshal(&health.Identity{Name: "users/me/identity", HealthUserId: "4815162342", LegacyUserId: "7BDEMO"})
	c, _ = serve(t, ok(string(prof)), ok(string(set)), ok(string(id)))
	gotProf, err := c.Profile(context.Background())
	if err != nil || gotProf != (Profile{Age: 41, MembershipStart: "2016-03-09"}) {
		t.Errorf("profile = %+v, %v", gotProf, err)
	}
	gotSet, err := c.Settings(context.Background())
	if err != nil || gotSet.WeightUnit != "lb" || gotSet.HeightUnit != "ftin" || gotSet.Zone() != "America/Chicago" || gotSet.UTCOffset != -6*time.Hour {
		t.Errorf("settings = %+v, %v", gotSet, err)
	}
	gotID, err := c.Identity(context.Background())
	if err != nil || gotID != (Identity{HealthUserID: "4815162342", LegacyUserID: "7BDEMO"}) {
		t.Errorf("identity = %+v, %v", gotID, err)
	}
}
