package emulator

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dghubble/oauth1"
	"github.com/google/go-cmp/cmp"
)

func TestHappyPath(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret, err := f.cfg.RequestToken()
	if err != nil {
		t.Fatalf("request token: %v", err)
	}
	authURL, err := f.cfg.AuthorizationURL(token)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := browser.Get(authURL.String())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("consent page: got status %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{
		`<button type="submit" name="decision" value="allow">Allow</button>`,
		`<button type="submit" name="decision" value="deny">Deny</button>`,
		`name="oauth_token" value="` + token + `"`,
		"This is the built-in bodystats demo, not Fitbit",
		testKey,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if strings.Contains(string(page), secret) {
		t.Error("consent page shows the request token secret")
	}

	resp, err = browser.PostForm(f.srv.URL+"/oauth/authorize", url.Values{"oauth_token": {token}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	location, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || location.Host != "localhost:8080" || location.Path != "/callback" {
		t.Fatalf("allow: got %d to %s, want 302 to the callback", resp.StatusCode, location.Redacted())
	}
	if got := location.Query().Get("from"); got != "test" {
		t.Errorf("callback query from: got %q, want the registered %q", got, "test")
	}
	gotToken, verifier, err := oauth1.ParseAuthorizationCallback(httptest.NewRequest(http.MethodGet, location.String(), nil))
	if err != nil || gotToken != token {
		t.Fatalf("callback: token matches %v, err %v", gotToken == token, err)
	}
	access, accessSecret, err := f.cfg.AccessToken(token, secret, verifier)
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	api := f.cfg.Client(t.Context(), oauth1.NewToken(access, accessSecret))

	var profile struct {
		User map[string]any `json:"user"`
	}
	get(t, api, f.srv.URL+"/1/user/-/profile.json", "", &profile)
	u := f.emu.User()
	for k, want := range map[string]any{"encodedId": u.EncodedID, "displayName": u.DisplayName, "fullName": u.FullName,
		"timezone": u.TimeZone, "locale": u.Locale, "height": u.HeightCm, "memberSince": u.MemberSince, "gender": "NA"} {
		if got := profile.User[k]; got != want {
			t.Errorf("profile %s: got %v, want %v", k, got, want)
		}
	}

	// Walk the whole history in 31-day windows; together they must give back WeightLogs exactly.
	want := f.emu.WeightLogs()
	first, _ := time.Parse(dateLayout, want[0].Date)
	last, _ := time.Parse(dateLayout, want[len(want)-1].Date)
	var got []WeightLog
	for start := first; !start.After(last); start = start.AddDate(0, 0, 31) {
		var body struct {
			Weight []struct {
				BMI    float64  `json:"bmi"`
				Date   string   `json:"date"`
				Fat    *float64 `json:"fat"`
				LogID  int64    `json:"logId"`
				Source string   `json:"source"`
				Time   string   `json:"time"`
				Weight float64  `json:"weight"`
			} `json:"weight"`
		}
		path := "/1/user/-/body/log/weight/date/" + start.Format(dateLayout) + "/" + start.AddDate(0, 0, 30).Format(dateLayout) + ".json"
		if resp := get(t, api, f.srv.URL+path, "", &body); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: got status %d", path, resp.StatusCode)
		}
		for _, w := range body.Weight {
			l := WeightLog{LogID: w.LogID, Date: w.Date, Time: w.Time, WeightKg: w.Weight, BMI: w.BMI, Source: w.Source}
			if w.Fat != nil {
				l.FatPct, l.HasFat = *w.Fat, true
			}
			got = append(got, l)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("weight logs over the API differ from WeightLogs (-want +got):\n%s", diff)
	}
}

func TestTamperedQuery(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret := f.emu.IssueAccessToken(testKey)
	tamper := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r.URL.RawQuery = "date=2020-01-01" // changed after the client signed
		return http.DefaultTransport.RoundTrip(r)
	})
	ctx := context.WithValue(t.Context(), oauth1.HTTPClient, &http.Client{Transport: tamper})
	api := f.cfg.Client(ctx, oauth1.NewToken(token, secret))
	resp := get(t, api, f.srv.URL+"/1/user/-/profile.json?date=2024-01-01", "", nil)
	wantError(t, resp, http.StatusUnauthorized, "oauth", "oauth_signature", token, secret)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTimestampWindow(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret := f.emu.IssueAccessToken(testKey)
	tests := []struct {
		skew   int64
		status int
	}{{-301, 401}, {301, 401}, {-300, 200}, {300, 200}, {0, 200}}
	for i, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/1/user/-/profile.json", nil)
		signRequest(t, r, testKey, testSecret, token, secret, "nonce-"+string(rune('a'+i)), f.clock.Now().Unix()+tt.skew)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		if tt.status == http.StatusOK {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("skew %d s: got status %d, want 200", tt.skew, resp.StatusCode)
			}
			continue
		}
		wantError(t, resp, tt.status, "oauth", "oauth_timestamp")
		resp.Body.Close()
	}
}

func TestReplayedNonce(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret := f.emu.IssueAccessToken(testKey)
	r, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/1/user/-/profile.json", nil)
	signRequest(t, r, testKey, testSecret, token, secret, "once", f.clock.Now().Unix())
	first, err := http.DefaultClient.Do(r.Clone(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	first.Body.Close()
	if first.StatusCode != http.StatusOK {
		t.Fatalf("first send: got status %d, want 200", first.StatusCode)
	}
	again, err := http.DefaultClient.Do(r.Clone(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Body.Close()
	wantError(t, again, http.StatusUnauthorized, "oauth", "oauth_nonce", token, secret)

	// Once its timestamp has left the window the nonce is forgotten, and the request is refused as stale.
	f.clock.Advance(301 * time.Second)
	late, err := http.DefaultClient.Do(r.Clone(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	defer late.Body.Close()
	wantError(t, late, http.StatusUnauthorized, "oauth", "oauth_timestamp")
}

func TestConstantNoncerRefused(t *testing.T) {
	f := newFixture(t, Options{})
	f.cfg.Noncer = constNoncer("same")
	api := f.apiClient(t)
	if resp := get(t, api, f.srv.URL+"/1/user/-/profile.json", "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("first request: got status %d, want 200", resp.StatusCode)
	}
	wantError(t, get(t, api, f.srv.URL+"/1/user/-/profile.json", "", nil), http.StatusUnauthorized, "oauth", "oauth_nonce")
}

type constNoncer string

func (n constNoncer) Nonce() string { return string(n) }

func TestWrongVerifierConsumesToken(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret, location := f.consent(t, "allow")
	if _, _, err := f.cfg.AccessToken(token, secret, "wrong"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong verifier: got err %v, want a 401", err)
	}
	verifier := location.Query().Get("oauth_verifier")
	if _, _, err := f.cfg.AccessToken(token, secret, verifier); err == nil {
		t.Fatal("the right verifier after a wrong one: got an access token, want the request token consumed")
	}
}

func TestReusedRequestToken(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret, location := f.consent(t, "allow")
	verifier := location.Query().Get("oauth_verifier")
	if _, _, err := f.cfg.AccessToken(token, secret, verifier); err != nil {
		t.Fatalf("first exchange: %v", err)
	}
	if _, _, err := f.cfg.AccessToken(token, secret, verifier); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("second exchange: got err %v, want a 401", err)
	}
}

func TestDeniedConsent(t *testing.T) {
	f := newFixture(t, Options{})
	token, secret, location := f.consent(t, "deny")
	q := location.Query()
	if q.Get("denied") != token || q.Has("oauth_verifier") || q.Get("from") != "test" {
		t.Errorf("deny redirect query keys %v: want denied=<request token>, from kept, no verifier", keys(q))
	}
	if _, _, err := f.cfg.AccessToken(token, secret, "anything"); err == nil {
		t.Error("exchange after deny: got an access token, want a refusal")
	}
	resp, err := browser.Get(f.srv.URL + "/oauth/authorize?oauth_token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("consent page for a denied token: got %d, want 400 without redirect", resp.StatusCode)
	}
	resp, err = browser.PostForm(f.srv.URL+"/oauth/authorize", url.Values{"oauth_token": {token}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("allow after deny: got %d, want 400", resp.StatusCode)
	}
}

func keys(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	return out
}
