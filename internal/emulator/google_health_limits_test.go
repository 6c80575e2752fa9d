package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

const identityPath = "/v4/users/me/identity"

func TestHealthRateLimit(t *testing.T) {
	f := newO2Fixture(t, Options{GoogleRateLimit: 3, RateLimit: 1})
	token := f.connectO2(t, googleAS, nil)["access_token"].(string)
	for i := range 3 {
		if s := f.bearerGet(t, identityPath, token, nil).StatusCode; s != http.StatusOK {
			t.Fatalf("request %d within the limit: got %d", i, s)
		}
		f.clock.Advance(10 * time.Second)
	}
	over := f.bearerGet(t, identityPath, token, nil)
	if got := over.Header.Get("Retry-After"); got != "30" {
		t.Errorf("Retry-After: got %q, want 30", got)
	}
	wantGoogleError(t, over, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED")

	// The Fitbit budget is separate, and a refused request costs nothing.
	if s := get(t, f.apiClient(t), f.srv.URL+profilePath, "", nil).StatusCode; s != http.StatusOK {
		t.Errorf("Fitbit API while the Health API is limited: got %d", s)
	}
	f.clock.Advance(30 * time.Second)
	for i := range 3 {
		if s := f.bearerGet(t, identityPath, token, nil).StatusCode; s != http.StatusOK {
			t.Errorf("request %d in the next minute: got %d", i, s)
		}
	}
	if got, want := f.emu.HealthRequests(), 7; got != want {
		t.Errorf("HealthRequests: got %d, want %d", got, want)
	}
}

func TestHealthFaults(t *testing.T) {
	tests := []struct {
		fault  Fault
		status string
	}{
		{Fault{Status: 401}, "UNAUTHENTICATED"},
		{Fault{Status: 403}, "PERMISSION_DENIED"},
		{Fault{Status: 429}, "RESOURCE_EXHAUSTED"},
		{Fault{Status: 500}, "INTERNAL"},
		{Fault{Status: 503}, "UNAVAILABLE"},
		{Fault{Malformed: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			token := f.connectO2(t, googleAS, nil)["access_token"].(string)
			f.emu.SetFault(tt.fault)
			resp := f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints", token, nil)
			if tt.fault.Malformed {
				body, _ := io.ReadAll(resp.Body)
				var v any
				if resp.StatusCode != http.StatusOK || len(body) == 0 || json.Unmarshal(body, &v) == nil {
					t.Errorf("got %d %q, want 200 with a truncated JSON body", resp.StatusCode, body)
				}
				return
			}
			if tt.fault.Status == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
				t.Error("429 fault without Retry-After")
			}
			wantGoogleError(t, resp, tt.fault.Status, tt.status)
		})
	}
}

func TestFaultsCountAcrossAPIs(t *testing.T) {
	f := newO2Fixture(t, Options{})
	token := f.connectO2(t, googleAS, nil)["access_token"].(string)
	api := f.apiClient(t)
	f.emu.SetFault(Fault{Status: 500, After: 1, Times: 2})
	got := []int{
		f.bearerGet(t, identityPath, token, nil).StatusCode,
		get(t, api, f.srv.URL+profilePath, "", nil).StatusCode,
		f.bearerGet(t, identityPath, token, nil).StatusCode,
		f.bearerGet(t, identityPath, token, nil).StatusCode,
	}
	if want := []int{200, 500, 500, 200}; !slices.Equal(got, want) {
		t.Errorf("statuses: got %v, want %v", got, want)
	}
	if f.emu.HealthRequests() != 3 || f.emu.APIRequests() != 1 {
		t.Errorf("HealthRequests %d APIRequests %d, want 3 and 1", f.emu.HealthRequests(), f.emu.APIRequests())
	}
}
