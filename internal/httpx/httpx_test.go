package httpx

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"120", 2 * time.Minute},
		{"0", 0},
		{"-5", 0},
		{"999999999", MaxRetryAfter},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"soon", 0},
		{"1.5", 0},
		{"99999999999999999", MaxRetryAfter},
		{"Wed, 01 Jan 2031 00:00:00 GMT", MaxRetryAfter},
	}
	for _, tt := range tests {
		if got := RetryAfter(tt.in, now); got != tt.want {
			t.Errorf("RetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestRedactURLError(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "https://api.example/x?code=SECRET", Err: context.Canceled}
	got := RedactURLError(err)
	if strings.Contains(got.Error(), "SECRET") || !errors.Is(got, context.Canceled) {
		t.Errorf("RedactURLError = %v", got)
	}
}
