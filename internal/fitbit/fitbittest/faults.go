package fitbittest

import (
	"net/http"
	"strconv"
)

// Fault makes Fitbit API requests (/1/...) fail on purpose. OAuth endpoints are never faulted.
type Fault struct {
	Status    int  // e.g. 401, 429, 500: answer with this status and Fitbit's error shape (401: errorType "invalid_token"; 429: "system"/"Too Many Requests" plus Retry-After; 5xx: "system")
	Malformed bool // answer 200 with a truncated JSON body instead
	After     int  // let this many API requests through first
	Times     int  // how many requests to fail; 0 = until ClearFault
}

type faultState struct {
	f              Fault
	passed, failed int
}

// SetFault arms f, replacing any earlier fault and restarting its After and Times counts. It applies to
// requests that pass authentication and the rate limit, so the signature checks stay honest under faults.
func (e *Emulator) SetFault(f Fault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fault = &faultState{f: f}
}

// ClearFault disarms the fault.
func (e *Emulator) ClearFault() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fault = nil
}

// nextFault reports whether the current API request should fail, and how.
func (e *Emulator) nextFault() (Fault, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := e.fault
	if s == nil || (s.f.Status == 0 && !s.f.Malformed) {
		return Fault{}, false
	}
	if s.passed < s.f.After {
		s.passed++
		return Fault{}, false
	}
	if s.f.Times > 0 && s.failed >= s.f.Times {
		return Fault{}, false
	}
	s.failed++
	return s.f, true
}

// faultError is the answer to a faulted request, in the shape the real API uses for that status.
func faultError(f Fault, rl rateStatus, h http.Header) *apiError {
	e := &apiError{status: f.Status, errorType: "system", message: http.StatusText(f.Status)}
	switch {
	case f.Status == http.StatusUnauthorized:
		e.errorType, e.fieldName, e.message = "invalid_token", "oauth_token", "Access token invalid or expired."
	case f.Status == http.StatusForbidden:
		e.errorType, e.message = "insufficient_permissions", "This application is not authorised to access this resource."
	case f.Status == http.StatusTooManyRequests:
		e.message, e.retryAfter = "Too Many Requests", max(rl.reset, 1)
		h.Set("Fitbit-Rate-Limit-Remaining", strconv.Itoa(0))
	case f.Status == http.StatusGone:
		e.errorType, e.message = errGone().errorType, errGone().message
	case f.Status >= 400 && f.Status < 500:
		e.errorType = "request"
	}
	return e
}
