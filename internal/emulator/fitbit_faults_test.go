package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"
)

const profilePath = "/1/user/-/profile.json"

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		fault     Fault
		status    int
		errorType string
	}{
		{"401", Fault{Status: 401}, 401, "invalid_token"},
		{"429", Fault{Status: 429}, 429, "system"},
		{"500", Fault{Status: 500}, 500, "system"},
		{"503", Fault{Status: 503}, 503, "system"},
		{"malformed", Fault{Malformed: true}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{})
			api := f.apiClient(t)
			f.emu.SetFault(tt.fault)
			resp := get(t, api, f.srv.URL+profilePath, "", nil)
			if tt.fault.Malformed {
				body, _ := io.ReadAll(resp.Body)
				var v any
				if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &v) == nil || len(body) == 0 {
					t.Errorf("got %d %q, want 200 with a truncated JSON body", resp.StatusCode, body)
				}
				return
			}
			if tt.status == http.StatusTooManyRequests {
				if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs < 1 {
					t.Errorf("Retry-After: got %q, want whole seconds", resp.Header.Get("Retry-After"))
				}
			}
			wantError(t, resp, tt.status, tt.errorType, map[int]string{401: "oauth_token"}[tt.status])
		})
	}
}

func TestFaultAfterAndTimes(t *testing.T) {
	f := newFixture(t, Options{})
	api := f.apiClient(t)
	f.emu.SetFault(Fault{Status: 500, After: 2, Times: 2})
	var got []int
	for range 6 {
		got = append(got, get(t, api, f.srv.URL+profilePath, "", nil).StatusCode)
	}
	want := []int{200, 200, 500, 500, 200, 200}
	if !slices.Equal(got, want) {
		t.Errorf("statuses: got %v, want %v", got, want)
	}

	f.emu.SetFault(Fault{Status: 503}) // Times 0: until cleared
	for i := range 3 {
		if s := get(t, api, f.srv.URL+profilePath, "", nil).StatusCode; s != 503 {
			t.Errorf("request %d under an open-ended fault: got %d, want 503", i, s)
		}
	}
	if _, _, err := f.cfg.RequestToken(); err != nil {
		t.Errorf("request token under an API fault: %v, want OAuth endpoints unaffected", err)
	}
	f.emu.ClearFault()
	if s := get(t, api, f.srv.URL+profilePath, "", nil).StatusCode; s != 200 {
		t.Errorf("after ClearFault: got %d, want 200", s)
	}
	if got, want := f.emu.APIRequests(), 10; got != want {
		t.Errorf("APIRequests: got %d, want %d", got, want)
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, Options{RateLimit: 3})
	token, secret := f.emu.IssueAccessToken(testKey)
	var remaining, resets []int
	for range 3 {
		resp := f.signedGet(t, token, secret, profilePath)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("within the limit: got %d, want 200", resp.StatusCode)
		}
		if got := resp.Header.Get("Fitbit-Rate-Limit-Limit"); got != "3" {
			t.Errorf("Fitbit-Rate-Limit-Limit: got %q, want 3", got)
		}
		r, _ := strconv.Atoi(resp.Header.Get("Fitbit-Rate-Limit-Remaining"))
		s, _ := strconv.Atoi(resp.Header.Get("Fitbit-Rate-Limit-Reset"))
		remaining, resets = append(remaining, r), append(resets, s)
		f.clock.Advance(10 * time.Minute)
	}
	if want := []int{2, 1, 0}; !slices.Equal(remaining, want) {
		t.Errorf("remaining: got %v, want %v", remaining, want)
	}
	if want := []int{3600, 3000, 2400}; !slices.Equal(resets, want) {
		t.Errorf("reset: got %v, want %v", resets, want)
	}

	over := f.signedGet(t, token, secret, profilePath)
	if got := over.Header.Get("Retry-After"); got != "1800" {
		t.Errorf("Retry-After: got %q, want 1800", got)
	}
	wantError(t, over, http.StatusTooManyRequests, "system", "")

	// A refused request costs nothing, and the window ends an hour after it opened.
	f.clock.Advance(30 * time.Minute)
	resp := f.signedGet(t, token, secret, profilePath)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Fitbit-Rate-Limit-Remaining") != "2" {
		t.Errorf("next window: got %d remaining %q, want 200 remaining 2", resp.StatusCode, resp.Header.Get("Fitbit-Rate-Limit-Remaining"))
	}
	if got, want := f.emu.APIRequests(), 5; got != want {
		t.Errorf("APIRequests: got %d, want %d", got, want)
	}
}

func TestRateLimitIsPerUser(t *testing.T) {
	f := newFixture(t, Options{RateLimit: 1})
	a, as := f.emu.IssueAccessToken(testKey)
	b, bs := f.emu.IssueAccessToken(testKey) // the same demo user through a second token
	if s := f.signedGet(t, a, as, profilePath).StatusCode; s != 200 {
		t.Fatalf("first: got %d, want 200", s)
	}
	if s := f.signedGet(t, b, bs, profilePath).StatusCode; s != http.StatusTooManyRequests {
		t.Errorf("second token of the same user: got %d, want 429", s)
	}
}
