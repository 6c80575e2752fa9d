package googlehealth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func googleError(code int, status, message string) string {
	return `{"error":{"code":` + strconv.Itoa(code) + `,"message":"` + message + `","status":"` + status + `"}}`
}

func TestErrorKinds(t *testing.T) {
	const secret = "Request had invalid authentication credentials: ya29.SECRET-token"
	kinds := []error{ErrUnauthorized, ErrForbidden, ErrRateLimited, ErrBadRequest, ErrNotFound, ErrUnavailable, ErrMalformed, ErrUnreachable}
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		kind       error
		wantStatus string
		retry      time.Duration
	}{
		{"Unauthenticated", 401, nil, googleError(401, "UNAUTHENTICATED", secret), ErrUnauthorized, "UNAUTHENTICATED", 0},
		{"PermissionDenied", 403, nil, googleError(403, "PERMISSION_DENIED", secret), ErrForbidden, "PERMISSION_DENIED", 0},
		{"ResourceExhausted", 429, map[string]string{"Retry-After": "30"}, googleError(429, "RESOURCE_EXHAUSTED", secret), ErrRateLimited, "RESOURCE_EXHAUSTED", 30 * time.Second},
		{"RateLimitedNoHeader", 429, nil, googleError(429, "RESOURCE_EXHAUSTED", secret), ErrRateLimited, "RESOURCE_EXHAUSTED", 0},
		{"InvalidArgument", 400, nil, googleError(400, "INVALID_ARGUMENT", secret), ErrBadRequest, "INVALID_ARGUMENT", 0},
		{"NotFound", 404, nil, googleError(404, "NOT_FOUND", secret), ErrNotFound, "NOT_FOUND", 0},
		{"Internal", 500, nil, googleError(500, "INTERNAL", secret), ErrUnavailable, "INTERNAL", 0},
		{"UnavailableHTML", 503, map[string]string{"Retry-After": "5"}, `<html>SECRET</html>`, ErrUnavailable, "", 5 * time.Second},
		{"StatusNotAnEnum", 401, nil, googleError(401, "SECRET token ya29", "x"), ErrUnauthorized, "", 0},
		{"NoContent", 204, nil, ``, ErrMalformed, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := serve(t, answer{status: tt.status, header: tt.header, body: tt.body})
			_, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "")
			for _, k := range kinds {
				if got, want := errors.Is(err, k), k == tt.kind; got != want {
					t.Errorf("errors.Is(%v, %v) = %v, want %v", err, k, got, want)
				}
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error text %q quotes the provider's message", err)
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if ge.StatusCode != tt.status || ge.Status != tt.wantStatus || ge.RetryAfter != tt.retry {
				t.Errorf("Error = %+v, want status %d %q retry %v", ge, tt.status, tt.wantStatus, tt.retry)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	_, err := NewClient(http.DefaultClient, base).Weights(context.Background(), time.Time{}, time.Time{}, 0, "SECRETTOKEN")
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if strings.Contains(err.Error(), "SECRETTOKEN") || strings.Contains(err.Error(), "pageToken") {
		t.Errorf("error text %q carries the request's query", err)
	}
}

func TestCancelled(t *testing.T) {
	c, _ := serve(t, ok(`{}`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Identity(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestOversizedAnswer(t *testing.T) {
	big := `{"dataPoints":[],"nextPageToken":"` + strings.Repeat("x", maxBody) + `"}`
	c, _ := serve(t, ok(big))
	_, err := c.Weights(context.Background(), time.Time{}, time.Time{}, 0, "")
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v, want ErrMalformed", err)
	}
}
