package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

type withingsFixture struct {
	emu   *Emulator
	srv   *httptest.Server
	clock *testClock
}

func newWithingsFixture(t *testing.T, o WithingsOptions) *withingsFixture {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	emu := New(Options{Now: clock.Now, Years: 2, Today: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)})
	emu.SetWithings(o)
	emu.AddWithingsClient("cid", "csecret", "https://example.org/cb")
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &withingsFixture{emu: emu, srv: srv, clock: clock}
}

type envelopeReply struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
	Error  string          `json:"error"`
}

func (f *withingsFixture) call(t *testing.T, req *http.Request) envelopeReply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env envelopeReply
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &env) != nil {
		t.Fatalf("HTTP %d %s: every answer is an envelope with HTTP 200", resp.StatusCode, raw)
	}
	return env
}

func (f *withingsFixture) token(t *testing.T, form url.Values) envelopeReply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/v2/oauth2", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return f.call(t, req)
}

func (f *withingsFixture) getmeas(t *testing.T, bearer string, form url.Values) envelopeReply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/measure", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return f.call(t, req)
}

// code runs the consent page and returns a fresh code.
func (f *withingsFixture) code(t *testing.T) string {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {"cid"}, "state": {"st"}, "scope": {"user.metrics"}, "redirect_uri": {"https://example.org/cb"}}
	resp, err := http.Get(f.srv.URL + "/oauth2_user/authorize2?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	_, after, _ := strings.Cut(string(page), `name="request" value="`)
	id, _, _ := strings.Cut(after, `"`)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(f.srv.URL+"/oauth2_user/authorize2", url.Values{"request": {id}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != "st" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %s", resp.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

func (f *withingsFixture) access(t *testing.T) string {
	t.Helper()
	env := f.token(t, url.Values{"action": {"requesttoken"}, "grant_type": {"authorization_code"}, "client_id": {"cid"},
		"client_secret": {"csecret"}, "code": {f.code(t)}, "redirect_uri": {"https://example.org/cb"}})
	var b struct {
		AccessToken string `json:"access_token"`
	}
	if env.Status != 0 || json.Unmarshal(env.Body, &b) != nil || b.AccessToken == "" {
		t.Fatalf("exchange: %+v", env)
	}
	return b.AccessToken
}

func TestWithingsMeasureStrictness(t *testing.T) {
	f := newWithingsFixture(t, WithingsOptions{})
	tok := f.access(t)
	meas := url.Values{"action": {"getmeas"}, "meastypes": {"1,4,5,6,8"}, "category": {"1"}}
	cases := []struct {
		name   string
		bearer string
		form   url.Values
		want   int
	}{
		{"OK", tok, meas, 0},
		{"NoToken", "", meas, 401},
		{"UnknownToken", "nope", meas, 401},
		{"TokenInTheParameters", "", url.Values{"action": {"getmeas"}, "access_token": {tok}}, 401},
		{"TokenInBoth", tok, url.Values{"action": {"getmeas"}, "access_token": {tok}}, 401},
		{"UnknownAction", tok, url.Values{"action": {"getmeasures"}}, 2554},
		{"BadMeastypes", tok, url.Values{"action": {"getmeas"}, "meastypes": {"1,x"}}, 503},
		{"BadCategory", tok, url.Values{"action": {"getmeas"}, "category": {"3"}}, 503},
		{"BadLastupdate", tok, url.Values{"action": {"getmeas"}, "lastupdate": {"-1"}}, 503},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if env := f.getmeas(t, c.bearer, c.form); env.Status != c.want {
				t.Fatalf("status %d (%s), want %d", env.Status, env.Error, c.want)
			}
		})
	}
	// A token in the query string is refused as well, even beside the header.
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/measure?action=getmeas&access_token="+tok, nil)
	if env := f.call(t, req); env.Status != 401 {
		t.Errorf("a token in the query: status %d", env.Status)
	}
	req, _ = http.NewRequest(http.MethodGet, f.srv.URL+"/measure?action=getmeas&meastype=4", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if env := f.call(t, req); env.Status != 0 {
		t.Errorf("GET with the query, as some clients send: status %d", env.Status)
	}
}

func TestWithingsRateLimitPerMinute(t *testing.T) {
	f := newWithingsFixture(t, WithingsOptions{RateLimit: 5})
	tok := f.access(t) // one of the five
	meas := url.Values{"action": {"getmeas"}, "meastype": {"4"}}
	for i := range 4 {
		if env := f.getmeas(t, tok, meas); env.Status != 0 {
			t.Fatalf("request %d: %d", i, env.Status)
		}
	}
	env := f.getmeas(t, tok, meas)
	var b struct {
		Wait int `json:"wait_seconds"`
	}
	if env.Status != 601 || json.Unmarshal(env.Body, &b) != nil || b.Wait < 1 || b.Wait > 60 {
		t.Fatalf("over the budget: %+v", env)
	}
	f.clock.Advance(time.Duration(b.Wait) * time.Second)
	if env := f.getmeas(t, tok, meas); env.Status != 0 {
		t.Errorf("after the wait: %d", env.Status)
	}
}

func TestWithingsTokenStrictness(t *testing.T) {
	f := newWithingsFixture(t, WithingsOptions{})
	base := url.Values{"action": {"requesttoken"}, "grant_type": {"authorization_code"}, "client_id": {"cid"}, "client_secret": {"csecret"},
		"redirect_uri": {"https://example.org/cb"}}
	with := func(kv ...string) url.Values {
		out := url.Values{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	if env := f.token(t, with("code", "never-issued")); env.Status != 503 {
		t.Errorf("unknown code: %d", env.Status)
	}
	if env := f.token(t, with("client_secret", "wrong")); env.Status != 503 || !strings.Contains(env.Error, "client") {
		t.Errorf("wrong secret: %+v", env)
	}
	if env := f.token(t, with("action", "getnonce")); env.Status != 2554 {
		t.Errorf("unknown action: %d", env.Status)
	}
	code := f.code(t)
	if env := f.token(t, with("code", code, "redirect_uri", "https://example.org/cb/")); env.Status != 503 {
		t.Errorf("another redirect URI: %d", env.Status)
	}
	if env := f.token(t, with("code", code)); env.Status != 503 {
		t.Errorf("the code was spent by the refused exchange: %d", env.Status)
	}
	code = f.code(t)
	f.clock.Advance(31 * time.Second)
	if env := f.token(t, with("code", code)); env.Status != 503 {
		t.Errorf("a code after 30 s: %d", env.Status)
	}
	code = f.code(t)
	if env := f.token(t, with("code", code)); env.Status != 0 {
		t.Fatalf("a fresh code: %+v", env)
	}
	if env := f.token(t, with("code", code)); env.Status != 601 || !strings.Contains(string(env.Body), "wait_seconds") {
		t.Errorf("the same arguments within 10 s: %+v", env)
	}
	f.clock.Advance(11 * time.Second)
	if env := f.token(t, with("code", code)); env.Status != 503 {
		t.Errorf("a reused code: %d", env.Status)
	}
}

func TestWithingsDemoHistory(t *testing.T) {
	f := newWithingsFixture(t, WithingsOptions{})
	loc, _ := time.LoadLocation(demoTimeZone)
	byInstant := map[int64]WithingsGroup{}
	units := map[int]int{}
	fat, weights, guests := 0, 0, 0
	for _, g := range f.emu.WithingsGroups() {
		for _, m := range g.Measures {
			if m.Type == wTypeWeight {
				units[m.Unit]++
				if g.Attrib == 1 {
					guests++
				} else {
					weights++
					byInstant[g.Date] = g
				}
			}
			if m.Type == wTypeFatRatio {
				fat++
			}
		}
	}
	for _, l := range f.emu.WeightLogs() {
		at, _ := time.ParseInLocation("2006-01-02 15:04:05", l.Date+" "+l.Time, loc)
		g, ok := byInstant[at.Unix()]
		if !ok {
			t.Fatalf("the Fitbit weigh-in of %s %s has no Withings twin", l.Date, l.Time)
		}
		if kg := WithingsValue(g.Measures[0]); kg < l.WeightKg-1e-9 || kg > l.WeightKg+1e-9 {
			t.Fatalf("%s: %v kg at Withings, %v at Fitbit", l.Date, kg, l.WeightKg)
		}
	}
	if len(units) != 3 || fat*10 < weights*8 || guests == 0 {
		t.Errorf("exponents %v, %d of %d weigh-ins with a fat ratio, %d guests", units, fat, weights, guests)
	}
}

func TestWithingsEditsAndDeletions(t *testing.T) {
	f := newWithingsFixture(t, WithingsOptions{})
	tok := f.access(t)
	gs := f.emu.WithingsGroups()
	f.clock.Advance(time.Minute)
	edited, deleted := gs[0].GrpID, gs[1].GrpID
	if !f.emu.WithingsEdit(edited, 70.25) || !f.emu.WithingsDelete(deleted) || f.emu.WithingsDelete(deleted) {
		t.Fatal("the knobs")
	}
	since := f.clock.Now().Add(-30 * time.Second).Unix()
	env := f.getmeas(t, tok, url.Values{"action": {"getmeas"}, "lastupdate": {strconv.FormatInt(since, 10)}})
	var b struct {
		Groups []struct {
			GrpID    int64 `json:"grpid"`
			Measures []struct {
				Value int64 `json:"value"`
				Unit  int   `json:"unit"`
			} `json:"measures"`
		} `json:"measuregrps"`
	}
	if err := json.Unmarshal(env.Body, &b); err != nil || len(b.Groups) != 1 || b.Groups[0].GrpID != edited {
		t.Fatalf("lastupdate lists the edited group alone: %s, %v", env.Body, err)
	}
	if m := b.Groups[0].Measures[0]; WithingsValue(WithingsMeasure{Value: m.Value, Unit: m.Unit}) != 70.25 {
		t.Errorf("edited value %+v", m)
	}
}
