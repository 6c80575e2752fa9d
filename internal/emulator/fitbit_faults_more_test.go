package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"
)

func TestFaultEvery(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		want  []int
	}{
		{"every third, status defaults to 500", Fault{Every: 3}, []int{200, 200, 500, 200, 200, 500, 200, 200, 500}},
		{"every third, twice", Fault{Every: 3, Times: 2}, []int{200, 200, 500, 200, 200, 500, 200, 200, 200}},
		{"every second after one", Fault{Status: 503, After: 1, Every: 2}, []int{200, 200, 503, 200, 503, 200, 503}},
		{"every one is a contiguous run", Fault{Status: 500, Every: 1, Times: 2}, []int{500, 500, 200}},
		{"429 bursts", Fault{Status: 429, Every: 2, Times: 3}, []int{200, 429, 200, 429, 200, 429, 200, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, Options{})
			api := f.apiClient(t)
			f.emu.SetFault(tt.fault)
			var got []int
			for range tt.want {
				resp := get(t, api, f.srv.URL+profilePath, "", nil)
				got = append(got, resp.StatusCode)
				if resp.StatusCode == http.StatusTooManyRequests {
					if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs < 1 {
						t.Errorf("Retry-After: got %q, want whole seconds", resp.Header.Get("Retry-After"))
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("statuses: got %v, want %v", got, tt.want)
			}
			if got := f.emu.RateLimited(); got != 0 {
				t.Errorf("RateLimited: got %d, want 0 for injected 429s", got)
			}
		})
	}
}

func TestFaultTruncate(t *testing.T) {
	const weightPath = "/1/user/-/body/log/weight/date/today/7d.json"
	const pointsPath = "/v4/users/me/dataTypes/weight/dataPoints?pageSize=5"
	for _, tt := range []struct {
		name  string
		fault Fault
		path  string
	}{
		{"Fitbit", Fault{Truncate: true, Times: 1}, weightPath},
		{"Fitbit, older name", Fault{Malformed: true, Times: 1}, weightPath},
		{"Fitbit, on an error answer", Fault{Truncate: true, Times: 1}, "/1/user/-/nothing.json"},
		{"Health", Fault{Truncate: true, Times: 1}, pointsPath},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			c := f.apiClient(t)
			if tt.path == pointsPath {
				token := f.connectO2(t, googleAS, nil)["access_token"].(string)
				c = bearerClient(token)
			}
			real := readAll(t, c, f.srv.URL+tt.path)

			f.emu.SetFault(tt.fault)
			resp, err := c.Get(f.srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("reading a truncated body: %v, want the whole (short) body", err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Errorf("got status %d, want 200", resp.StatusCode)
			}
			if len(body) == 0 || len(body) != len(real)/2 || !bytes.HasPrefix(real, body) {
				t.Errorf("got %q, want the first half of the real answer %q", body, real)
			}
			var v any
			if err := json.NewDecoder(bytes.NewReader(body)).Decode(&v); !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("decoding: got %v, want io.ErrUnexpectedEOF", err)
			}
		})
	}
}

func TestFaultReset(t *testing.T) {
	for _, health := range []bool{false, true} {
		t.Run(map[bool]string{false: "Fitbit", true: "Health"}[health], func(t *testing.T) {
			f := newO2Fixture(t, Options{})
			c, path := f.apiClient(t), profilePath
			if health {
				c, path = bearerClient(f.connectO2(t, googleAS, nil)["access_token"].(string)), identityPath
			}
			// The first request leaves a keep-alive connection in the pool: a connection closed before the
			// first byte of an answer would make the Transport replay the request there instead of failing.
			readAll(t, c, f.srv.URL+path)
			f.emu.SetFault(Fault{Reset: true, Status: 500, Every: 2})
			var got []string
			for range 4 {
				resp, err := c.Get(f.srv.URL + path)
				switch {
				case err != nil && errors.Is(err, io.ErrUnexpectedEOF):
					got = append(got, "reset")
				case err != nil:
					got = append(got, err.Error())
				default:
					resp.Body.Close()
					got = append(got, strconv.Itoa(resp.StatusCode))
				}
			}
			if want := []string{"200", "reset", "200", "reset"}; !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			var statuses []int
			for _, r := range f.emu.APILog() {
				statuses = append(statuses, r.Status)
			}
			if want := []int{200, 200, 0, 200, 0}; !slices.Equal(statuses, want) {
				t.Errorf("APILog statuses: got %v, want %v (no replays)", statuses, want)
			}
		})
	}
}

// bearerClient sends every request with a Bearer token over its own keep-alive connections.
func bearerClient(token string) *http.Client {
	tr := &http.Transport{}
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+token)
		return tr.RoundTrip(r)
	})}
}

// readAll GETs u and returns the body, whatever the status.
func readAll(t *testing.T, c *http.Client, u string) []byte {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
