package ihealth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/httpx"
	"github.com/bodystats/bodystats/internal/provider"
)

// Kinds of failure, for errors.Is; each also matches the provider-wide kind.
var (
	ErrUnauthorized = provider.Kind("ihealth: not authorised", provider.ErrUnauthorized)
	ErrForbidden    = provider.Kind("ihealth: weight data not granted", provider.ErrForbidden)
	ErrRateLimited  = provider.Kind("ihealth: rate limit reached", provider.ErrRateLimited)
	ErrUnavailable  = provider.Kind("ihealth: server error", provider.ErrUnavailable)
	ErrBadRequest   = provider.Kind("ihealth: request refused", provider.ErrBadRequest)
	ErrMalformed    = provider.Kind("ihealth: malformed answer", provider.ErrMalformed)
	ErrUnreachable  = provider.Kind("ihealth: could not reach the API", provider.ErrUnreachable)
	// ErrAppCredentials: iHealth refused the app's own credentials (client secret, IHEALTH_SC or IHEALTH_SV).
	ErrAppCredentials = provider.Kind("ihealth: the app's credentials were refused", provider.ErrBadRequest)
	// ErrRegion: the account lives in another region than the host asked (error 2005).
	ErrRegion = provider.Kind("ihealth: the account lives in another region", provider.ErrBadRequest)
)

// iHealth's error codes (developer.ihealthlabs.com ResponseFormatAndErrors; the table was only partly recovered).
const (
	codeAccessDenied      = 1
	codeNotAuthorized     = 2
	codeSCSV              = 3
	codeRedirectMismatch  = 1001
	codeSecretMismatch    = 1002
	codeUnauthorizedApp   = 2001
	codeUnauthorizedToken = 2002
	codeUnauthorizedAPI   = 2003
	codeRegion            = 2005
	codeLimit             = 503
	codeInvalidAPIName    = 5004
)

// burstWait is how long a 503 burst waits when it names no Retry-After.
const burstWait = 30 * time.Second

// Error is an answer iHealth refused with: its {Error, ErrorCode, ErrorDescription} body, which may come with
// HTTP 200, or a bare HTTP status. ErrorDescription is never kept (it can name the account's region or echo input).
type Error struct {
	Status int    // HTTP status
	Name   string // Error, e.g. "unauthorized_token"; an identifier only
	Code   int    // ErrorCode as a number ("503" and 503 alike); -1 when it was neither
	kind   error
	retry  time.Duration
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: HTTP %d", e.kind, e.Status)
	if e.Name != "" {
		s += " " + e.Name
	}
	if e.Code != 0 {
		s += " (" + strconv.Itoa(e.Code) + ")"
	}
	return s
}

// Unwrap is the error's kind.
func (e *Error) Unwrap() error { return e.kind }

// RetryIn is how long a rate-limited request asks to wait.
func (e *Error) RetryIn() time.Duration { return e.retry }

// envelope is iHealth's error body; keys match case-insensitively, as its own casing varies.
type envelope struct {
	Error     *json.RawMessage `json:"Error"`
	ErrorCode json.RawMessage  `json:"ErrorCode"`
}

// errorIn reads an error body: any JSON object with a top-level Error key is one, whatever the HTTP status,
// as iHealth's own sample decides. ok is false for any other body.
func errorIn(body []byte) (name string, code int, ok bool) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '{' {
		return "", 0, false
	}
	var env envelope
	if json.Unmarshal(b, &env) != nil || env.Error == nil {
		return "", 0, false
	}
	var s string
	if json.Unmarshal(*env.Error, &s) != nil {
		s = ""
	}
	return httpx.Identifier(s), errorCode(env.ErrorCode), true
}

// errorCode reads ErrorCode, which iHealth sends as a number (5004) or as a string ("503", "0003").
func errorCode(raw json.RawMessage) int {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// classify turns an answer into an *Error, or nil when it is a readable success.
func classify(resp *http.Response, body []byte, now time.Time) *Error {
	name, code, isErr := errorIn(body)
	st := resp.StatusCode
	if !isErr && st == http.StatusOK {
		return nil
	}
	e := &Error{Status: st, Name: name, Code: code}
	switch {
	case code == codeLimit || name == "limits_hour_error":
		e.kind, e.retry = ErrRateLimited, untilNextHour(now)
	case st == http.StatusServiceUnavailable || st == http.StatusTooManyRequests:
		e.kind, e.retry = ErrRateLimited, httpx.RetryAfter(resp.Header.Get("Retry-After"), now)
		if e.retry == 0 {
			e.retry = burstWait
		}
	case code == codeUnauthorizedToken || name == "unauthorized_token" || st == http.StatusUnauthorized:
		e.kind = ErrUnauthorized
	case code == codeUnauthorizedAPI || code == codeAccessDenied || code == codeNotAuthorized:
		e.kind = ErrForbidden
	case code == codeSCSV || code == codeSecretMismatch || code == codeUnauthorizedApp:
		e.kind = ErrAppCredentials
	case code == codeRegion:
		e.kind = ErrRegion
	case isErr && st < 500:
		e.kind = ErrBadRequest
	case st >= 500:
		e.kind = ErrUnavailable
	default:
		e.kind = ErrBadRequest
	}
	return e
}

// untilNextHour is the wait for an hourly budget: whether iHealth's hour is a clock hour or a rolling one is not
// documented, so the wait is to the next clock hour (at least five minutes); a rolling hour answers 503 again
// and waits once more.
func untilNextHour(now time.Time) time.Duration {
	d := now.Truncate(time.Hour).Add(time.Hour).Sub(now)
	return max(d, 5*time.Minute).Round(time.Second)
}
