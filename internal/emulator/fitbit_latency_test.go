package emulator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"
)

// The latency tests run in a synctest bubble, whose clock moves only when every goroutine in it is blocked, so
// "not answered a nanosecond before Latency, answered at Latency" is exact and cannot flake.

func TestLatencyDelaysAPIRequests(t *testing.T) {
	for _, path := range []string{profilePath, identityPath} {
		t.Run(path, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const latency = 3 * time.Second
				e := New(Options{Latency: latency, Today: historyToday, Years: 1})
				start := time.Now()
				rec := httptest.NewRecorder()
				done := make(chan struct{})
				go func() {
					defer close(done)
					e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				}()

				time.Sleep(latency - time.Nanosecond)
				synctest.Wait()
				select {
				case <-done:
					t.Fatal("answered before Latency had passed")
				default:
				}
				if got := len(e.APILog()); got != 0 {
					t.Errorf("APILog while waiting: %d entries, want 0", got)
				}

				<-done
				if got := time.Since(start); got != latency {
					t.Errorf("answered after %v, want %v", got, latency)
				}
				if rec.Code != http.StatusUnauthorized { // no credentials: the answer itself is not the point
					t.Errorf("got status %d, want 401", rec.Code)
				}
			})
		})
	}
}

func TestLatencyHonoursCancelledContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := New(Options{Latency: time.Hour, Today: historyToday, Years: 1})
		start := time.Now()
		ctx, cancel := context.WithCancel(t.Context())
		rec := httptest.NewRecorder()
		var recovered any
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() { recovered = recover() }()
			e.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, http.MethodGet, profilePath, nil))
		}()
		synctest.Wait()
		cancel()
		<-done

		if got := time.Since(start); got != 0 {
			t.Errorf("returned after %v, want at once", got)
		}
		if recovered != http.ErrAbortHandler {
			t.Errorf("handler ended with %v, want panic(http.ErrAbortHandler) so the server sends nothing", recovered)
		}
		if rec.Body.Len() != 0 || len(rec.Header()) != 0 {
			t.Errorf("abandoned request got an answer: %d %q", rec.Code, rec.Body)
		}
		if n, log := e.APIRequests(), e.APILog(); n != 0 || len(log) != 0 {
			t.Errorf("abandoned request counted: APIRequests %d, APILog %v", n, log)
		}
	})
}

func TestLatencyLeavesOAuthAlone(t *testing.T) {
	tests := []struct {
		name    string
		latency time.Duration
		method  string
		path    string
	}{
		{"request token", time.Hour, http.MethodPost, "/oauth/request_token"},
		{"access token", time.Hour, http.MethodPost, "/oauth/access_token"},
		{"fitbit token", time.Hour, http.MethodPost, "/oauth2/token"},
		{"google token", time.Hour, http.MethodPost, "/token"},
		{"fitbit consent", time.Hour, http.MethodGet, "/oauth2/authorize"},
		{"Latency 0, Fitbit API", 0, http.MethodGet, profilePath},
		{"Latency 0, Health API", 0, http.MethodGet, identityPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				e := New(Options{Latency: tt.latency, Today: historyToday, Years: 1})
				start := time.Now()
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil)) // a wait would move the bubble's clock
				if got := time.Since(start); got != 0 {
					t.Errorf("answered after %v, want no delay", got)
				}
				if rec.Body.Len() == 0 {
					t.Error("no answer")
				}
			})
		})
	}
}

// Over a real connection the wall clock only gives a lower bound, which cannot flake.
func TestLatencyOverTheWire(t *testing.T) {
	const latency = 20 * time.Millisecond
	f := newO2Fixture(t, Options{Latency: latency})
	token := f.connectO2(t, googleAS, nil)["access_token"].(string)
	api := f.apiClient(t)

	start := time.Now()
	if s := get(t, api, f.srv.URL+profilePath, "", nil).StatusCode; s != http.StatusOK {
		t.Fatalf("Fitbit API: got %d, want 200", s)
	}
	if got := time.Since(start); got < latency {
		t.Errorf("Fitbit API answered after %v, want at least %v", got, latency)
	}
	start = time.Now()
	if s := f.bearerGet(t, identityPath, token, nil).StatusCode; s != http.StatusOK {
		t.Fatalf("Health API: got %d, want 200", s)
	}
	if got := time.Since(start); got < latency {
		t.Errorf("Health API answered after %v, want at least %v", got, latency)
	}
}
