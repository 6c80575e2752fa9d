package fitbit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/httpx"
	"github.com/bodystats/bodystats/internal/provider"
)

// Kinds of failure, for errors.Is. An *Error matches the kind its status implies.
var (
	ErrUnauthorized = provider.Kind("fitbit: not authorised", provider.ErrUnauthorized)         // 401: token invalid, expired or revoked
	ErrForbidden    = provider.Kind("fitbit: access not granted", provider.ErrForbidden)        // 403: a scope was not granted
	ErrRateLimited  = provider.Kind("fitbit: rate limit reached", provider.ErrRateLimited)      // 429
	ErrGone         = provider.Kind("fitbit: API switched off", provider.ErrGone)               // 410: the legacy Web API is retired
	ErrUnavailable  = provider.Kind("fitbit: server error", provider.ErrUnavailable)            // 5xx
	ErrBadRequest   = provider.Kind("fitbit: request refused", provider.ErrBadRequest)          // other 4xx
	ErrMalformed    = provider.Kind("fitbit: malformed answer", provider.ErrMalformed)          // a 200 whose body is not the expected JSON
	ErrUnreachable  = provider.Kind("fitbit: could not reach the API", provider.ErrUnreachable) // network failure
)

// Error is a non-200 answer from the Fitbit Web API, decoded from its {"errors":[...],"success":false} shape.
// Fitbit's messages can quote the token that failed, so Error keeps only the error type, never the message.
type Error struct {
	StatusCode int
	Type       string        // errorType of the first error, e.g. "expired_token", "invalid_token", "validation"
	RetryAfter time.Duration // from Retry-After or the rate-limit reset header, on 429
}

func (e *Error) Error() string {
	if e.Type == "" {
		return fmt.Sprintf("fitbit: HTTP %d", e.StatusCode)
	}
	return fmt.Sprintf("fitbit: HTTP %d %s", e.StatusCode, e.Type)
}

// Is reports whether the error is of the given kind (ErrUnauthorized, ErrRateLimited, ...).
func (e *Error) Is(target error) bool {
	if k, ok := kinds[target]; ok {
		target = k
	}
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrGone:
		return e.StatusCode == http.StatusGone
	case ErrUnavailable:
		return e.StatusCode >= 500
	case ErrBadRequest:
		return e.StatusCode >= 400 && e.StatusCode < 500 &&
			e.StatusCode != http.StatusUnauthorized && e.StatusCode != http.StatusForbidden &&
			e.StatusCode != http.StatusTooManyRequests && e.StatusCode != http.StatusGone
	}
	return false
}

func newError(resp *http.Response, body []byte, limit RateLimit) *Error {
	e := &Error{StatusCode: resp.StatusCode}
	var shape struct {
		Errors []struct {
			ErrorType string `json:"errorType"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &shape) == nil && len(shape.Errors) > 0 {
		e.Type = httpx.Identifier(shape.Errors[0].ErrorType)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		e.RetryAfter = httpx.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
		if e.RetryAfter == 0 && limit.Known {
			e.RetryAfter = limit.Reset
		}
	}
	return e
}

// RateLimit is what the Fitbit-Rate-Limit-* headers said about the hourly budget.
type RateLimit struct {
	Known     bool
	Limit     int
	Remaining int
	Reset     time.Duration // until the budget refills
}

// RateLimitFrom reads the Fitbit-Rate-Limit-* headers of a response.
func RateLimitFrom(h http.Header) RateLimit {
	limit, err1 := strconv.Atoi(h.Get("Fitbit-Rate-Limit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("Fitbit-Rate-Limit-Remaining"))
	reset, err3 := strconv.Atoi(h.Get("Fitbit-Rate-Limit-Reset"))
	if err1 != nil || err2 != nil || err3 != nil {
		return RateLimit{}
	}
	// A nonsense reset must not stall a sync for days: the same cap as Retry-After.
	resetIn := time.Duration(min(max(reset, 0), int(httpx.MaxRetryAfter/time.Second))) * time.Second
	return RateLimit{Known: true, Limit: limit, Remaining: remaining, Reset: resetIn}
}

// kinds maps the provider-wide kinds to this package's, so an *Error matches both.
var kinds = map[error]error{
	provider.ErrUnauthorized: ErrUnauthorized, provider.ErrForbidden: ErrForbidden, provider.ErrRateLimited: ErrRateLimited,
	provider.ErrUnavailable: ErrUnavailable, provider.ErrBadRequest: ErrBadRequest, provider.ErrMalformed: ErrMalformed,
	provider.ErrGone: ErrGone,
}

// RetryIn is how long a 429 asked to wait.
func (e *Error) RetryIn() time.Duration { return e.RetryAfter }
