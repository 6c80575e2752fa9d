package googlehealth

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/httpx"
	"github.com/bodystats/bodystats/internal/provider"
)

// Kinds of failure, for errors.Is. An *Error matches the kind its status implies.
var (
	ErrUnauthorized = provider.Kind("googlehealth: not authorised", provider.ErrUnauthorized)         // 401: token invalid, expired or revoked
	ErrForbidden    = provider.Kind("googlehealth: access not granted", provider.ErrForbidden)        // 403: a scope was not granted
	ErrRateLimited  = provider.Kind("googlehealth: rate limit reached", provider.ErrRateLimited)      // 429
	ErrBadRequest   = provider.Kind("googlehealth: request refused", provider.ErrBadRequest)          // other 4xx: INVALID_ARGUMENT, ...
	ErrNotFound     = provider.Kind("googlehealth: not found", provider.ErrNotFound)                  // 404 NOT_FOUND
	ErrUnavailable  = provider.Kind("googlehealth: server error", provider.ErrUnavailable)            // 5xx
	ErrMalformed    = provider.Kind("googlehealth: malformed answer", provider.ErrMalformed)          // a 200 that is not the expected JSON, or an unexpected status
	ErrUnreachable  = provider.Kind("googlehealth: could not reach the API", provider.ErrUnreachable) // network failure
)

// Error is a non-200 answer from the Google Health API, decoded from its {"error":{"code","message","status"}} shape.
// Google's messages can quote what the request carried, so Error keeps only the status name, never the message.
type Error struct {
	StatusCode int
	Status     string        // the error's status name, e.g. "UNAUTHENTICATED", "PERMISSION_DENIED"; "" when absent
	RetryAfter time.Duration // from Retry-After, when the answer carried one
}

func (e *Error) Error() string {
	if e.Status == "" {
		return fmt.Sprintf("googlehealth: HTTP %d", e.StatusCode)
	}
	return fmt.Sprintf("googlehealth: HTTP %d %s", e.StatusCode, e.Status)
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
	case ErrUnavailable:
		return e.StatusCode >= 500 && e.StatusCode < 600
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrBadRequest:
		return e.StatusCode >= 400 && e.StatusCode < 500 &&
			e.StatusCode != http.StatusUnauthorized && e.StatusCode != http.StatusForbidden &&
			e.StatusCode != http.StatusTooManyRequests && e.StatusCode != http.StatusNotFound
	case ErrMalformed:
		// A 204, an unfollowed redirect or a made-up code is not an answer the API gives.
		return e.StatusCode < 400 || e.StatusCode >= 600
	}
	return false
}

func newError(resp *http.Response, body []byte) *Error {
	e := &Error{StatusCode: resp.StatusCode, RetryAfter: httpx.RetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	var shape struct {
		Error struct {
			Status string `json:"status"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &shape) == nil && statusName(shape.Error.Status) {
		e.Status = shape.Error.Status
	}
	return e
}

// statusName reports whether s looks like a google.rpc.Code name. Anything else is dropped, so a server that put
// free text (or a token) in the status field cannot get it into an error string.
func statusName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && r != '_' {
			return false
		}
	}
	return true
}

// kinds maps the provider-wide kinds to this package's, so an *Error matches both.
var kinds = map[error]error{
	provider.ErrUnauthorized: ErrUnauthorized, provider.ErrForbidden: ErrForbidden, provider.ErrRateLimited: ErrRateLimited,
	provider.ErrUnavailable: ErrUnavailable, provider.ErrBadRequest: ErrBadRequest, provider.ErrMalformed: ErrMalformed,
	provider.ErrNotFound: ErrNotFound,
}

// RetryIn is how long a 429 asked to wait.
func (e *Error) RetryIn() time.Duration { return e.RetryAfter }
