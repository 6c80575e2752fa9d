package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAPILog(t *testing.T) {
	f := newO2Fixture(t, Options{})
	token := f.connectO2(t, googleAS, nil)["access_token"].(string) // OAuth requests are not API requests
	api := f.apiClient(t)
	t0 := f.clock.Now()

	get(t, api, f.srv.URL+profilePath, "", nil)
	f.clock.Advance(time.Second)
	f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints?pageSize=2", token, nil)
	f.clock.Advance(time.Second)
	get(t, api, f.srv.URL+"/1/user/-/nothing.json", "", nil)
	f.emu.SetFault(Fault{Status: 503, Times: 1})
	f.bearerGet(t, identityPath, token, nil)
	get(t, http.DefaultClient, f.srv.URL+profilePath, "", nil) // unsigned

	want := []APIRequest{
		{Path: profilePath, At: t0, Status: 200},
		{Path: "/v4/users/me/dataTypes/weight/dataPoints", At: t0.Add(time.Second), Status: 200},
		{Path: "/1/user/-/nothing.json", At: t0.Add(2 * time.Second), Status: 404},
		{Path: identityPath, At: t0.Add(2 * time.Second), Status: 503},
		{Path: profilePath, At: t0.Add(2 * time.Second), Status: 401},
	}
	log := f.emu.APILog()
	if diff := cmp.Diff(want, log); diff != "" {
		t.Errorf("APILog (-want +got):\n%s", diff)
	}
	log[0].Status = 0
	if f.emu.APILog()[0].Status != 200 {
		t.Error("changing the returned slice changed the emulator's log")
	}
	if got := f.emu.APIRequests() + f.emu.HealthRequests(); got != len(want) {
		t.Errorf("APIRequests + HealthRequests: got %d, want %d", got, len(want))
	}
}

func TestRateLimited(t *testing.T) {
	f := newO2Fixture(t, Options{RateLimit: 2, GoogleRateLimit: 1})
	token, secret := f.emu.IssueAccessToken(testKey)
	bearer := f.connectO2(t, googleAS, nil)["access_token"].(string)
	var got []int
	for range 4 {
		got = append(got, f.signedGet(t, token, secret, profilePath).StatusCode)
	}
	if want := []int{200, 200, 429, 429}; !slices.Equal(got, want) {
		t.Fatalf("Fitbit statuses: got %v, want %v", got, want)
	}
	if got := f.emu.RateLimited(); got != 2 {
		t.Errorf("RateLimited after two Fitbit refusals: got %d, want 2", got)
	}

	f.emu.SetFault(Fault{Status: 429, Times: 1})
	if s := f.bearerGet(t, identityPath, bearer, nil).StatusCode; s != http.StatusTooManyRequests {
		t.Fatalf("faulted Health request: got %d, want 429", s)
	}
	if s := f.bearerGet(t, identityPath, bearer, nil).StatusCode; s != http.StatusTooManyRequests {
		t.Fatalf("Health request over its budget: got %d, want 429", s)
	}
	if got := f.emu.RateLimited(); got != 3 {
		t.Errorf("RateLimited after a fault and a Health refusal: got %d, want 3", got)
	}
}

func TestRateWindow(t *testing.T) {
	f := newFixture(t, Options{RateLimit: 3, RateWindow: 2 * time.Second})
	token, secret := f.emu.IssueAccessToken(testKey)
	header := func(resp *http.Response, name string) int {
		t.Helper()
		n, err := strconv.Atoi(resp.Header.Get(name))
		if err != nil {
			t.Fatalf("%s: got %q, want whole seconds", name, resp.Header.Get(name))
		}
		return n
	}
	var remaining, resets []int
	for range 3 {
		resp := f.signedGet(t, token, secret, profilePath)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("within the limit: got %d, want 200", resp.StatusCode)
		}
		remaining = append(remaining, header(resp, "Fitbit-Rate-Limit-Remaining"))
		resets = append(resets, header(resp, "Fitbit-Rate-Limit-Reset"))
		f.clock.Advance(500 * time.Millisecond)
	}
	if want := []int{2, 1, 0}; !slices.Equal(remaining, want) {
		t.Errorf("remaining: got %v, want %v", remaining, want)
	}
	if want := []int{2, 2, 1}; !slices.Equal(resets, want) { // 2, 1.5 and 1 s, rounded up
		t.Errorf("reset: got %v, want %v", resets, want)
	}

	over := f.signedGet(t, token, secret, profilePath) // 1.5 s into the window
	if got := header(over, "Retry-After"); got != 1 {
		t.Errorf("Retry-After: got %d, want 1", got)
	}
	if got := header(over, "Fitbit-Rate-Limit-Reset"); got != 1 {
		t.Errorf("Fitbit-Rate-Limit-Reset when refused: got %d, want 1", got)
	}
	wantError(t, over, http.StatusTooManyRequests, "system", "")

	f.clock.Advance(500 * time.Millisecond) // the window closes 2 s after it opened
	next := f.signedGet(t, token, secret, profilePath)
	if next.StatusCode != http.StatusOK || header(next, "Fitbit-Rate-Limit-Remaining") != 2 || header(next, "Fitbit-Rate-Limit-Reset") != 2 {
		t.Errorf("next window: got %d remaining %q reset %q, want 200 remaining 2 reset 2", next.StatusCode,
			next.Header.Get("Fitbit-Rate-Limit-Remaining"), next.Header.Get("Fitbit-Rate-Limit-Reset"))
	}
	if got := f.emu.RateLimited(); got != 1 {
		t.Errorf("RateLimited: got %d, want 1", got)
	}
}
