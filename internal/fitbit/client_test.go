package fitbit

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fake answers every request with the given status, headers and body, and records the last path asked for.
func fake(t *testing.T, status int, header map[string]string, body string) (*Client, *string) {
	t.Helper()
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		if r.Header.Get("Accept-Language") != "" {
			t.Errorf("Accept-Language = %q, want none (metric units)", r.Header.Get("Accept-Language"))
		}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return NewClient(srv.Client(), srv.URL), &path
}

func day(s string) time.Time {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestWeightLogs(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, path := fake(t, 200, nil, `{"weight":[{"bmi":23.57,"date":"2019-03-01","fat":15.25,"logId":1553067000000,"source":"Aria","time":"07:38:14","weight":75.5},{"bmi":23.6,"date":"2019-03-02","logId":1553153400000,"source":"Web","time":"23:59:59","weight":75.61}]}`)
		logs, err := c.WeightLogs(context.Background(), day("2019-03-01"), day("2019-03-31"))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := *path, "/1/user/-/body/log/weight/date/2019-03-01/2019-03-31.json"; got != want {
			t.Errorf("path = %q, want %q", got, want)
		}
		if len(logs) != 2 {
			t.Fatalf("got %d logs, want 2", len(logs))
		}
		if logs[0].Fat == nil || *logs[0].Fat != 15.25 || logs[0].Weight != 75.5 || logs[0].LogID != 1553067000000 {
			t.Errorf("first log = %+v", logs[0])
		}
		if logs[1].Fat != nil {
			t.Errorf("manual entry has fat %v, want nil", *logs[1].Fat)
		}
	})
	t.Run("RangeTooLong", func(t *testing.T) {
		c, path := fake(t, 200, nil, `{"weight":[]}`)
		_, err := c.WeightLogs(context.Background(), day("2019-03-01"), day("2019-04-01"))
		if err == nil || *path != "" {
			t.Fatalf("32-day range: err = %v, request sent to %q; want an error and no request", err, *path)
		}
	})
	t.Run("MissingArray", func(t *testing.T) {
		c, _ := fake(t, 200, nil, `{"fat":[]}`)
		_, err := c.WeightLogs(context.Background(), day("2019-03-01"), day("2019-03-02"))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("err = %v, want ErrMalformed", err)
		}
	})
}

func TestErrors(t *testing.T) {
	const secretish = "Access token expired: eyJSECRETTOKEN"
	tests := []struct {
		name     string
		status   int
		header   map[string]string
		body     string
		kind     error
		wantType string
		retry    time.Duration
	}{
		{"Expired", 401, nil, `{"errors":[{"errorType":"expired_token","message":"` + secretish + `"}],"success":false}`, ErrUnauthorized, "expired_token", 0},
		{"Forbidden", 403, nil, `{"errors":[{"errorType":"insufficient_scope","message":"no"}],"success":false}`, ErrForbidden, "insufficient_scope", 0},
		{"RateLimitedRetryAfter", 429, map[string]string{"Retry-After": "120"}, `{"errors":[{"errorType":"system","message":"Too Many Requests"}],"success":false}`, ErrRateLimited, "system", 2 * time.Minute},
		{"RateLimitedResetHeader", 429, map[string]string{"Fitbit-Rate-Limit-Limit": "150", "Fitbit-Rate-Limit-Remaining": "0", "Fitbit-Rate-Limit-Reset": "600"}, `{}`, ErrRateLimited, "", 10 * time.Minute},
		{"Gone", 410, nil, ``, ErrGone, "", 0},
		{"ServerError", 500, nil, `<html>oops</html>`, ErrUnavailable, "", 0},
		{"Validation", 400, nil, `{"errors":[{"errorType":"validation","fieldName":"date","message":"bad"}],"success":false}`, ErrBadRequest, "validation", 0},
		{"Truncated", 200, nil, `{"user":{"encodedId":"AB`, ErrMalformed, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := fake(t, tt.status, tt.header, tt.body)
			_, err := c.Profile(context.Background())
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error text %q quotes the provider's message", err)
			}
			var fe *Error
			if errors.As(err, &fe) {
				if fe.Type != tt.wantType || fe.RetryAfter != tt.retry {
					t.Errorf("Error = %+v, want type %q retry %v", fe, tt.wantType, tt.retry)
				}
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := NewClient(http.DefaultClient, url).Profile(context.Background())
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
}

func TestRateLimitFrom(t *testing.T) {
	h := http.Header{}
	if RateLimitFrom(h).Known {
		t.Error("no headers: Known = true")
	}
	h.Set("Fitbit-Rate-Limit-Limit", "150")
	h.Set("Fitbit-Rate-Limit-Remaining", "149")
	h.Set("Fitbit-Rate-Limit-Reset", "3599")
	got := RateLimitFrom(h)
	if want := (RateLimit{Known: true, Limit: 150, Remaining: 149, Reset: 3599 * time.Second}); got != want {
		t.Errorf("RateLimitFrom = %+v, want %+v", got, want)
	}
}

func TestDaysBetween(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	// Across the spring daylight-saving change the day count stays whole.
	a := time.Date(2024, 3, 30, 23, 0, 0, 0, london)
	b := time.Date(2024, 4, 1, 1, 0, 0, 0, london)
	if got := DaysBetween(a, b); got != 2 {
		t.Errorf("DaysBetween = %d, want 2", got)
	}
}
