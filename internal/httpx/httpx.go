// Package httpx holds what every provider client needs from HTTP answers: Retry-After, and transport errors
// that carry no URL (provider URLs can hold tokens, codes and page tokens in their queries).
package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// MaxRetryAfter caps a provider's Retry-After: a bad header must not stall a sync for days.
const MaxRetryAfter = 24 * time.Hour

// RetryAfter reads a Retry-After header, in seconds or as an HTTP date relative to now; 0 when absent or past.
func RetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(MaxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d.Round(time.Second), MaxRetryAfter)
		}
	}
	return 0
}

// RedactURLError drops the URL from a transport error: the error keeps its cause and its chain.
func RedactURLError(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return fmt.Errorf("%s: %w", uerr.Op, uerr.Err)
	}
	return err
}

// Identifier keeps a provider's error code fit for a log line or a page: letters, digits and _.- only, at most
// 40 of them. Providers' error messages can quote what the request carried; their codes, so trimmed, cannot.
func Identifier(s string) string {
	out := make([]rune, 0, min(len(s), 40))
	for _, r := range s {
		if len(out) == 40 {
			break
		}
		if r == '_' || r == '-' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			out = append(out, r)
		}
	}
	return string(out)
}
