package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/store"
)

type pushAnswer struct {
	Added   int    `json:"added"`
	Merged  int    `json:"merged"`
	Updated int    `json:"updated"`
	Skipped int    `json:"skipped"`
	Format  string `json:"format"`
}

func decodePush(t *testing.T, a answer) pushAnswer {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("push: %d %s", a.status, a.body)
	}
	var p pushAnswer
	if err := json.Unmarshal([]byte(a.body), &p); err != nil {
		t.Fatalf("push answer %q: %v", a.body, err)
	}
	return p
}

const twoWeighins = `{"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.4, "fat_pct": 17.2},
	{"time": "2026-11-29T07:35:00+01:00", "weight_kg": 79.6, "bmi": 24.5}]}`

// TestPushReplay: weigh-ins pushed with a token land in its source with their offset; the same again adds nothing.
func TestPushReplay(t *testing.T) {
	e := newEnv(t)
	tok, st := newToken(t, e.db, "phone")
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, twoWeighins)); p.Added != 2 || p.Merged != 0 || p.Skipped != 0 || p.Format != "bodystats" {
		t.Fatalf("first push: %+v, want 2 added", p)
	}
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, twoWeighins)); p.Added != 0 || p.Skipped != 2 {
		t.Fatalf("replay: %+v, want 0 added, 2 skipped", p)
	}
	ms, err := e.db.Measurements(t.Context(), st.SourceID)
	if err != nil || len(ms) != 2 {
		t.Fatalf("token's source holds %d rows (%v), want 2", len(ms), err)
	}
	m := ms[1]
	if m.Date != "2026-11-30" || m.Time != "07:41:09" || m.TimeZone != "+01:00" || m.WeightKg != 79.4 || *m.FatPct != 17.2 ||
		m.Provider != "api" || m.Method != store.MethodCopy || m.ExternalID != "2026-11-30T06:41:09Z" {
		t.Fatalf("stored %+v", m)
	}
	// A correction of the same time replaces the value.
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, `{"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.3, "fat_pct": 17.2}]}`)); p.Updated != 1 || p.Added != 0 {
		t.Fatalf("correction: %+v, want 1 updated", p)
	}
	src := e.browser().get("/sources")
	if !strings.Contains(src.body, "API token") || !strings.Contains(src.body, "phone") || !strings.Contains(src.body, `data-held="2"`) {
		t.Fatalf("/sources does not list the token's source with 2 weigh-ins:\n%s", src.body)
	}
	if list := e.apiGet("/api/v1/weighins", tok); !strings.Contains(list.body, `"time":"2026-11-30T07:41:09+01:00","weight_kg":79.3,"fat_pct":17.2`) {
		t.Fatalf("GET /api/v1/weighins: %s", list.body)
	}
}

// TestPushHealthAutoExport: Health Auto Export's document, in pounds with body fat as a separate metric.
func TestPushHealthAutoExport(t *testing.T) {
	e := newEnv(t)
	tok, st := newToken(t, e.db, "health-auto-export")
	doc := `{"data": {"metrics": [
		{"name": "step_count", "units": "count", "data": [{"date": "2026-11-30 07:00:00 +0100", "qty": 4000, "source": "iPhone"}]},
		{"name": "weight_body_mass", "units": "lb", "data": [{"date": "2026-11-30 07:41:09 +0100", "qty": 175.2, "source": "Withings"}]},
		{"name": "body_fat_percentage", "units": "%", "data": [{"date": "2026-11-30 07:41:09 +0100", "qty": 17.2, "source": "Withings"}]}
	], "workouts": []}}`
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, doc)); p.Added != 1 || p.Format != "health-auto-export" {
		t.Fatalf("push: %+v, want 1 added from health-auto-export", p)
	}
	ms, _ := e.db.Measurements(t.Context(), st.SourceID)
	if len(ms) != 1 || ms[0].WeightKg != 175.2*0.45359237 || ms[0].FatPct == nil || *ms[0].FatPct != 17.2 || ms[0].Source != "Withings" || ms[0].TimeZone != "+01:00" {
		t.Fatalf("stored %+v", ms)
	}
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, doc)); p.Added != 0 || p.Skipped != 1 {
		t.Fatalf("replay: %+v, want nothing added", p)
	}
}

// TestPushBadInput: each mistake gets a 4xx with a JSON sentence, and nothing is stored.
func TestPushBadInput(t *testing.T) {
	e := newEnv(t)
	tok, st := newToken(t, e.db, "phone")
	revoked, _ := newToken(t, e.db, "old")
	if err := e.db.RevokeAPIToken(t.Context(), "old"); err != nil {
		t.Fatal(err)
	}
	one := `{"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.4}]}`
	for _, tc := range []struct {
		name, path, token, body string
		status                  int
		want                    string
	}{
		{"NoToken", "/api/v1/weighins", "", one, 401, "No API token"},
		{"WrongToken", "/api/v1/weighins", "bst_" + strings.Repeat("A", 43), one, 401, "not known"},
		{"NotOurToken", "/api/v1/weighins", "hunter2", one, 401, "not known"},
		{"RevokedToken", "/api/v1/weighins", revoked, one, 401, "revoked"},
		{"TokenInQuery", "/api/v1/weighins?token=" + tok, "", one, 400, "Authorization header"},
		{"TokenInQueryToo", "/api/v1/weighins?access_token=x", tok, one, 400, "never in the address"},
		{"MalformedJSON", "/api/v1/weighins", tok, `{"weighins": [{"time": `, 400, "JSON"},
		{"NoTime", "/api/v1/weighins", tok, `{"weighins": [{"weight_kg": 79.4}]}`, 400, `no \"time\"`},
		{"NoOffset", "/api/v1/weighins", tok, `{"weighins": [{"time": "2026-11-30T07:41:09", "weight_kg": 79.4}]}`, 400, "no UTC offset"},
		{"Minus5", "/api/v1/weighins", tok, `{"weighins": [{"time": "2026-11-30T07:41:09Z", "weight_kg": -5}]}`, 400, "-5 kg is not a body weight"},
		{"5000", "/api/v1/weighins", tok, `{"weighins": [{"time": "2026-11-30T07:41:09Z", "weight_kg": 5000}]}`, 400, "5000 kg is not a body weight"},
		{"OneBadOfTwo", "/api/v1/weighins", tok, `{"weighins": [{"time": "2026-11-30T07:41:09Z", "weight_kg": 79}, {"time": "2026-11-29T07:41:09Z", "weight_kg": -5}]}`, 400, "weigh-in 2"},
		{"TenMegabytes", "/api/v1/weighins", tok, `{"weighins": [` + strings.Repeat(" ", 10<<20) + `]}`, 413, "MiB"},
		{"TenThousandAndOne", "/api/v1/weighins", tok, weighins(10001), 413, "at most 10000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := e.apiPost(tc.path, tc.token, tc.body)
			var msg struct{ Error string }
			if a.status != tc.status || json.Unmarshal([]byte(a.body), &msg) != nil || !strings.Contains(msg.Error, strings.ReplaceAll(tc.want, `\"`, `"`)) {
				t.Fatalf("got %d %s, want %d with an error saying %q", a.status, a.body, tc.status, tc.want)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if n, _ := e.db.CountMeasurements(t.Context(), st.SourceID); n != 0 {
				t.Fatalf("%d rows stored after a refused push", n)
			}
		})
	}
	if strings.Contains(e.logs.String(), tok) || strings.Contains(e.logs.String(), revoked) {
		t.Fatal("a token reached the log")
	}
}

// weighins is a push of n weigh-ins an hour apart, ending now.
func weighins(n int) string {
	var b strings.Builder
	b.WriteString(`{"weighins": [`)
	start := time.Now().Add(-time.Duration(n) * time.Hour).Truncate(time.Second)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"time": %q, "weight_kg": %.1f, "fat_pct": 20.5}`, start.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), 70+float64(i%200)/10)
	}
	b.WriteString("]}")
	return b.String()
}

// TestPushTenThousand: the most one request may hold goes in whole.
func TestPushTenThousand(t *testing.T) {
	e := newEnv(t)
	tok, st := newToken(t, e.db, "backfill")
	if p := decodePush(t, e.apiPost("/api/v1/weighins", tok, weighins(10000))); p.Added != 10000 {
		t.Fatalf("push of 10000: %+v", p)
	}
	if n, _ := e.db.CountMeasurements(t.Context(), st.SourceID); n != 10000 {
		t.Fatalf("%d rows stored, want 10000", n)
	}
}

// TestPushRateLimit: a token in a loop meets 429 with a Retry-After; another token does not.
func TestPushRateLimit(t *testing.T) {
	e := newEnv(t)
	tok, _ := newToken(t, e.db, "loop")
	other, _ := newToken(t, e.db, "other")
	var last answer
	for i := 0; i < 100; i++ {
		if last = e.apiGet("/api/v1/summary", tok); last.status != http.StatusOK {
			break
		}
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" || !strings.Contains(last.body, `"error"`) {
		t.Fatalf("100 requests at once: last %d (Retry-After %q) %s, want 429 with Retry-After", last.status, last.header.Get("Retry-After"), last.body)
	}
	if a := e.apiGet("/api/v1/summary", other); a.status != http.StatusOK {
		t.Fatalf("another token: %d", a.status)
	}
}

// TestPushCrossSite: a browser on another site posting with only the session cookie is refused, never stored.
func TestPushCrossSite(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	if a := c.signin(ownerPassword); a.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", a.status)
	}
	before, _ := e.db.History(t.Context())
	one := `{"weighins": [{"time": "2026-11-30T08:41:09+01:00", "weight_kg": 60}]}`
	for _, h := range []http.Header{
		{"Sec-Fetch-Site": {"cross-site"}, "Content-Type": {"text/plain"}},
		{"Origin": {"http://evil.example"}, "Content-Type": {"text/plain"}},
		{}, // an old browser that sends neither: the cookie alone is no credential for the API
	} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.app.URL+"/api/v1/weighins", strings.NewReader(one))
		for k, v := range h {
			req.Header[k] = v
		}
		resp, err := c.c.Do(req) // the signed-in browser: its jar sends the session cookie
		if err != nil {
			t.Fatal(err)
		}
		var msg struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&msg)
		resp.Body.Close()
		want := http.StatusForbidden
		if len(h) == 0 {
			want = http.StatusUnauthorized
		}
		if resp.StatusCode != want || msg.Error == "" {
			t.Fatalf("POST with the session cookie and headers %v: %d %q, want %d with a JSON error", h, resp.StatusCode, msg.Error, want)
		}
	}
	if after, _ := e.db.History(t.Context()); len(after) != len(before) {
		t.Fatalf("history grew from %d to %d", len(before), len(after))
	}
}

// TestReadmePush: the README's curl line, as a new user runs it on an empty bodystats, puts the weigh-in on the
// dashboard.
func TestReadmePush(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)curl -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\\s+-d '([^']+)' \\\s+http://localhost:8080(/api/v1/weighins)`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("no curl push line in the README")
	}
	e := newEnv(t)
	tok, _ := newToken(t, e.db, "phone")
	if p := decodePush(t, e.apiPost(string(m[2]), tok, string(m[1]))); p.Added != 1 {
		t.Fatalf("the README's push: %+v", p)
	}
	if dash := e.browser().get("/"); !strings.Contains(dash.body, `data-measure="latest">79.4 kg<`) {
		t.Fatalf("the dashboard does not show the pushed weigh-in:\n%s", dash.body)
	}
}
