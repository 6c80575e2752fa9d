package emulator

import (
	"net/http"
	"strconv"
)

// Fault makes API requests (Fitbit /1/... and Health /v4/...) fail on purpose. OAuth endpoints are never
// faulted. A fault counts only the requests it applies to: those that pass authentication and the rate limit,
// so the signature checks stay honest under faults. Of the failure modes, Reset wins over Truncate (or
// Malformed), which wins over Status.
type Fault struct {
	Status    int  // e.g. 401, 429, 500: answer with this status and Fitbit's error shape (401: errorType "invalid_token"; 429: "system"/"Too Many Requests" plus Retry-After; 5xx: "system"). Default 500 when Every is set and no other mode is.
	Malformed bool // the same as Truncate; the older name
	Truncate  bool // answer 200 with the real answer's body cut in half: a valid JSON prefix that fails to decode
	Reset     bool // drop the connection after the status line, before any header: the client's request fails with a transport error (unexpected EOF)
	After     int  // let this many requests through first
	Every     int  // when > 0, fail only every Every-th request after the first After (the Every-th, 2×Every-th, ...) instead of a contiguous run
	Times     int  // how many requests to fail; 0 = until ClearFault
}

// cutsBody reports whether the fault answers with the real body truncated.
func (f Fault) cutsBody() bool { return f.Malformed || f.Truncate }

type faultState struct {
	f            Fault
	seen, failed int
}

// SetFault arms f, replacing any earlier fault and restarting its After, Every and Times counts.
func (e *Emulator) SetFault(f Fault) {
	if f.Every > 0 && f.Status == 0 && !f.cutsBody() && !f.Reset {
		f.Status = http.StatusInternalServerError
	}
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
	if s == nil || (s.f.Status == 0 && !s.f.cutsBody() && !s.f.Reset) {
		return Fault{}, false
	}
	s.seen++
	if s.seen <= s.f.After {
		return Fault{}, false
	}
	if s.f.Every > 0 && (s.seen-s.f.After)%s.f.Every != 0 {
		return Fault{}, false
	}
	if s.f.Times > 0 && s.failed >= s.f.Times {
		return Fault{}, false
	}
	s.failed++
	return s.f, true
}

// resetConnection drops the client's connection in the middle of the answer's status block. Closing before
// the first byte would not do: Go's Transport silently replays an idempotent request when a reused keep-alive
// connection dies before answering, so the client would never see the fault, and a replayed OAuth 1.0a
// request carries a used nonce and would come back as a 401. HTTP/2 cannot be hijacked; there the stream is
// aborted instead.
func resetConnection(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\n")
	_ = buf.Flush()
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
