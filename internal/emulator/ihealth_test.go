package emulator

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	ihClient   = "ih-client"
	ihSecret   = "ih secret&+/"
	ihSC       = "SC0001"
	ihSV       = "SVW001"
	ihRedirect = "http://localhost:8080/callback"
)

type ihFixture struct {
	emu *Emulator
	srv *httptest.Server
	hc  *http.Client // follows no redirects
}

func newIHFixture(t *testing.T, o IHealthOptions) *ihFixture {
	t.Helper()
	emu := New(Options{Today: time.Date(2026, 4, 15, 0, 0, 0, 0, time.UTC), Days: 150})
	emu.AddIHealthClient(ihClient, ihSecret, ihSC, ihSV, ihRedirect)
	emu.SetIHealth(o)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &ihFixture{emu: emu, srv: srv, hc: hc}
}

func (f *ihFixture) get(t *testing.T, path string, q url.Values) (*http.Response, []byte) {
	t.Helper()
	resp, err := f.hc.Get(f.srv.URL + path + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// consent shows the consent page for redirect and allows it, returning the callback URL.
func (f *ihFixture) consent(t *testing.T, redirect, decision string) *url.URL {
	t.Helper()
	resp, body := f.get(t, ihealthAuthPath, url.Values{"client_id": {ihClient}, "response_type": {"code"},
		"redirect_uri": {redirect}, "APIName": {"OpenApiWeight OpenApiUserInfo"}, "RequiredAPIName": {"OpenApiWeight"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("consent page: HTTP %d %s", resp.StatusCode, body)
	}
	m := regexp.MustCompile(`name="request" value="([0-9a-f]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("consent page has no request handle: %s", body)
	}
	resp, err := f.hc.PostForm(f.srv.URL+ihealthAuthPath, url.Values{"request": {string(m[1])}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("decision: HTTP %d, want 302", resp.StatusCode)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *ihFixture) exchange(t *testing.T, code, redirect, secret string) map[string]any {
	t.Helper()
	_, body := f.get(t, ihealthAuthPath, url.Values{"client_id": {ihClient}, "client_secret": {secret},
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}})
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("exchange answer %s: %v", body, err)
	}
	return m
}

// tokens runs the whole sign-in and returns the access and refresh tokens.
func (f *ihFixture) tokens(t *testing.T) (string, string) {
	t.Helper()
	redirect := ihRedirect + "?state=abc"
	cb := f.consent(t, redirect, "allow")
	m := f.exchange(t, cb.Query().Get("code"), redirect, ihSecret)
	at, _ := m["AccessToken"].(string)
	rt, _ := m["RefreshToken"].(string)
	if at == "" || rt == "" {
		t.Fatalf("exchange answer has no tokens: %v", m)
	}
	return at, rt
}

func (f *ihFixture) weights(t *testing.T, at string, extra url.Values) (int, map[string]any) {
	t.Helper()
	q := url.Values{"client_id": {ihClient}, "client_secret": {ihSecret}, "access_token": {at}, "sc": {ihSC}, "sv": {ihSV},
		"start_time": {"0"}, "end_time": {"4102444800"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, body := f.get(t, "/openapiv2/user/"+demoIHealthUserID+"/weight.json/", q)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("weight answer %q: %v", body, err)
	}
	return resp.StatusCode, m
}

func TestIHealthSignIn(t *testing.T) {
	f := newIHFixture(t, IHealthOptions{})
	redirect := ihRedirect + "?state=xyz"
	cb := f.consent(t, redirect, "allow")
	if cb.Query().Get("state") != "xyz" || cb.Query().Get("code") == "" {
		t.Fatalf("callback %s: want the redirect URI's own state and a code", cb)
	}
	code := cb.Query().Get("code")
	if m := f.exchange(t, code, ihRedirect+"?state=xyz&x=1", ihSecret); m["ErrorCode"] != 1001.0 {
		t.Errorf("exchange with another redirect URI: %v, want ErrorCode 1001", m)
	}
	if m := f.exchange(t, code, redirect, ihSecret); m["ErrorCode"] != 2.0 {
		t.Errorf("code used once already (by the refused try): %v, want ErrorCode 2", m)
	}
	cb = f.consent(t, redirect, "allow")
	if m := f.exchange(t, cb.Query().Get("code"), redirect, "wrong"); m["ErrorCode"] != 1002.0 {
		t.Errorf("wrong secret: %v, want 1002", m)
	}
	cb = f.consent(t, redirect, "allow")
	m := f.exchange(t, cb.Query().Get("code"), redirect, ihSecret)
	if m["UserID"] != demoIHealthUserID || m["Expires"] != 3672000.0 || !strings.Contains(m["AccessToken"].(string), "*") {
		t.Errorf("token answer %v", m)
	}
	if m["UserRegion"] != f.srv.URL {
		t.Errorf("UserRegion %v, want %s", m["UserRegion"], f.srv.URL)
	}
	if m := f.exchange(t, cb.Query().Get("code"), redirect, ihSecret); m["Error"] != "is_not_authorized" {
		t.Errorf("second exchange of a code: %v, want is_not_authorized", m)
	}
	if cb := f.consent(t, redirect, "deny"); cb.Query().Get("error") != "access_denied" || cb.Query().Get("state") != "xyz" {
		t.Errorf("denied callback %s", cb)
	}
}

func TestIHealthConsentRefusesOtherRedirects(t *testing.T) {
	f := newIHFixture(t, IHealthOptions{})
	for _, redirect := range []string{"http://localhost:8080/callback/", "http://evil.example/callback", "https://localhost:8080/callback"} {
		resp, _ := f.get(t, ihealthAuthPath, url.Values{"client_id": {ihClient}, "response_type": {"code"},
			"redirect_uri": {redirect}, "APIName": {"OpenApiWeight"}})
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%s: HTTP %d, want a 400 page and no redirect", redirect, resp.StatusCode)
		}
	}
	resp, _ := f.get(t, ihealthAuthPath, url.Values{"client_id": {ihClient}, "response_type": {"code"},
		"redirect_uri": {ihRedirect}, "APIName": {"OpenApiNope"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown APIName: HTTP %d", resp.StatusCode)
	}
}

func TestIHealthRefresh(t *testing.T) {
	for _, rotate := range []bool{false, true} {
		t.Run("rotate="+strconv.FormatBool(rotate), func(t *testing.T) {
			f := newIHFixture(t, IHealthOptions{Rotate: rotate})
			_, rt := f.tokens(t)
			refresh := func(rt string) map[string]any {
				_, body := f.get(t, ihealthAuthPath, url.Values{"client_id": {ihClient}, "client_secret": {ihSecret},
					"response_type": {"refresh_token"}, "refresh_token": {rt}, "redirect_uri": {ihRedirect}})
				var m map[string]any
				_ = json.Unmarshal(body, &m)
				return m
			}
			m := refresh(rt)
			if m["AccessToken"] == nil {
				t.Fatalf("refresh: %v", m)
			}
			if rotated := m["RefreshToken"] != rt; rotated != rotate {
				t.Errorf("refresh token changed %v, want %v", rotated, rotate)
			}
			again := refresh(rt)
			if ok := again["AccessToken"] != nil; ok == rotate {
				t.Errorf("old refresh token accepted again %v, want %v (%v)", ok, !rotate, again)
			}
			f.emu.RevokeIHealthGrants()
			if m := refresh(m["RefreshToken"].(string)); m["Error"] != "unauthorized_token" {
				t.Errorf("revoked grant: %v", m)
			}
		})
	}
}

func TestIHealthWeightRefusals(t *testing.T) {
	f := newIHFixture(t, IHealthOptions{})
	at, _ := f.tokens(t)
	cases := []struct {
		name  string
		extra url.Values
		want  any
	}{
		{"wrong sc", url.Values{"sc": {"SC9"}}, 3.0},
		{"wrong sv", url.Values{"sv": {"SV9"}}, 3.0},
		{"wrong secret", url.Values{"client_secret": {"x"}}, 1002.0},
		{"no token in the query", url.Values{"access_token": {""}}, 2002.0},
		{"unknown token", url.Values{"access_token": {"AT*nope"}}, 2002.0},
		{"end before start", url.Values{"start_time": {"100"}, "end_time": {"50"}}, 4001.0},
	}
	for _, c := range cases {
		st, m := f.weights(t, at, c.extra)
		if st != http.StatusOK || m["ErrorCode"] != c.want {
			t.Errorf("%s: HTTP %d %v, want HTTP 200 with ErrorCode %v", c.name, st, m, c.want)
		}
	}
	f.emu.ExpireIHealthTokens()
	if _, m := f.weights(t, at, nil); m["Error"] != "unauthorized_token" {
		t.Errorf("expired token: %v", m)
	}
}

func TestIHealthWeightPagesAndShiftedTimes(t *testing.T) {
	f := newIHFixture(t, IHealthOptions{})
	at, _ := f.tokens(t)
	logs := f.emu.WeightLogs()
	var got []map[string]any
	for page := 1; page < 100; page++ {
		_, m := f.weights(t, at, url.Values{"page_index": {strconv.Itoa(page)}})
		list := m["WeightDataList"].([]any)
		if len(list) > 50 {
			t.Fatalf("page %d has %d records", page, len(list))
		}
		for _, r := range list {
			got = append(got, r.(map[string]any))
		}
		if m["NextPageUrl"] == "" {
			break
		}
		if len(list) != 50 {
			t.Fatalf("page %d: %d records and a next page", page, len(list))
		}
		next, err := url.QueryUnescape(m["NextPageUrl"].(string))
		if err != nil || !strings.HasPrefix(next, f.srv.URL) || !strings.Contains(next, "page_index="+strconv.Itoa(page+1)) {
			t.Fatalf("NextPageUrl %q", next)
		}
	}
	if len(got) != len(logs) {
		t.Fatalf("%d records, want the %d weigh-ins of the history", len(got), len(logs))
	}
	for i, l := range logs {
		r := got[i]
		local := time.Unix(int64(r["MDate"].(float64)), 0).UTC()
		if local.Format(dateLayout) != l.Date || local.Format("15:04:05") != l.Time {
			t.Errorf("record %d: MDate reads %s, want the local clock %s %s", i, local, l.Date, l.Time)
		}
		if !l.HasFat && r["FatValue"] != 0.0 {
			t.Errorf("record %d: FatValue %v for a weigh-in without fat, want 0", i, r["FatValue"])
		}
		if _, ok := r["MuscaleValue"]; !ok {
			t.Errorf("record %d has no MuscaleValue", i)
		}
	}
	// The window is on the shifted scale: a window of exactly one local day holds that day's weigh-ins.
	d := logs[len(logs)-1].Date
	day, _ := time.Parse(dateLayout, d)
	_, m := f.weights(t, at, url.Values{"start_time": {strconv.FormatInt(day.Unix(), 10)}, "end_time": {strconv.FormatInt(day.Unix()+86399, 10)}})
	want := 0
	for _, l := range logs {
		if l.Date == d {
			want++
		}
	}
	if n := len(m["WeightDataList"].([]any)); n != want {
		t.Errorf("one local day's window: %d records, want %d", n, want)
	}
}

func TestIHealthUnitsAndZones(t *testing.T) {
	for _, c := range []struct {
		unit  int
		zones string
		want  func(v any) bool
	}{
		{0, "signed", func(v any) bool { s, ok := v.(string); return ok && (s == "+0100" || s == "+0000") }},
		{1, "unsigned", func(v any) bool { s, ok := v.(string); return ok && (s == "0100" || s == "0000") }},
		{2, "int", func(v any) bool { n, ok := v.(float64); return ok && (n == 1 || n == 0) }},
		{0, "empty", func(v any) bool { return v == "" }},
	} {
		f := newIHFixture(t, IHealthOptions{Unit: c.unit, Zones: c.zones})
		at, _ := f.tokens(t)
		_, m := f.weights(t, at, url.Values{"locale": {"user"}})
		if m["WeightUnit"] != float64(c.unit) {
			t.Errorf("unit %d: WeightUnit %v", c.unit, m["WeightUnit"])
		}
		first := m["WeightDataList"].([]any)[0].(map[string]any)
		kg := first["WeightValue"].(float64) * ihealthKgPer[c.unit]
		if want := f.emu.WeightLogs()[0].WeightKg; math.Abs(kg-want) > 1e-9 {
			t.Errorf("unit %d: %v kg, want %v", c.unit, kg, want)
		}
		if !c.want(first["TimeZone"]) {
			t.Errorf("zones %q: TimeZone %#v", c.zones, first["TimeZone"])
		}
	}
}

func TestIHealthLimitsAndRegion(t *testing.T) {
	f := newIHFixture(t, IHealthOptions{HourlyLimit: 2})
	at, _ := f.tokens(t)
	f.weights(t, at, nil)
	f.weights(t, at, nil)
	if st, m := f.weights(t, at, nil); st != http.StatusOK || m["Error"] != "limits_hour_error" || m["ErrorCode"] != "503" {
		t.Errorf("over the hourly budget: HTTP %d %v", st, m)
	}

	f = newIHFixture(t, IHealthOptions{})
	at, _ = f.tokens(t)
	f.emu.IHealthFault("burst", 1)
	resp, _ := f.get(t, "/openapiv2/user/"+demoIHealthUserID+"/weight.json/", url.Values{})
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("burst: HTTP %d, want 503", resp.StatusCode)
	}

	eu := httptest.NewServer(f.emu)
	defer eu.Close()
	f.emu.SetIHealth(IHealthOptions{Region: eu.URL})
	if _, m := f.weights(t, at, nil); m["ErrorCode"] != 2005.0 {
		t.Errorf("EU account asked at the US host: %v, want 2005", m)
	}
	q := url.Values{"client_id": {ihClient}, "client_secret": {ihSecret}, "access_token": {at}, "sc": {ihSC}, "sv": {ihSV},
		"start_time": {"0"}, "end_time": {"4102444800"}}
	resp, err := http.Get(eu.URL + "/openapiv2/user/" + demoIHealthUserID + "/weight.json/?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	resp.Body.Close()
	if m["WeightDataList"] == nil {
		t.Errorf("EU account at its host: %v", m)
	}
}

func TestIHealthDeletion(t *testing.T) {
	f := newIHFixture(t, IHealthOptions{})
	at, _ := f.tokens(t)
	_, m := f.weights(t, at, nil)
	first := m["WeightDataList"].([]any)[0].(map[string]any)["DataID"].(string)
	f.emu.DeleteIHealthRecord(first)
	_, m = f.weights(t, at, nil)
	if got := m["WeightDataList"].([]any)[0].(map[string]any)["DataID"]; got == first {
		t.Errorf("deleted record %s still listed", first)
	}
}
