package emulator

import (
	"net/http"
	"time"
)

// APIRequest is one Fitbit Web API (/1/...) or Google Health API (/v4/...) request the emulator handled.
type APIRequest struct {
	Path   string    // URL path, without the query
	At     time.Time // when the emulator began handling it (after Latency), by Options.Now
	Status int       // the status answered; 0 while in flight or when a Reset fault dropped the connection
}

// APILog returns a copy of every API request the emulator has handled, in the order it began handling them.
// Requests abandoned during Latency are not in it.
func (e *Emulator) APILog() []APIRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]APIRequest, len(e.apiLog))
	copy(out, e.apiLog)
	return out
}

// RateLimited returns how many 429s the emulator sent because a user's real budget was spent: Fitbit's
// per-RateWindow one or the Health API's per-minute one. 429s from a Fault are not counted.
func (e *Emulator) RateLimited() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.rateLimited
}

// apiCall wraps an API handler: it waits Latency, then logs the request and the status it is answered with.
// A request whose context ends during the wait is abandoned without an answer (http.ErrAbortHandler), so a
// client that gave up leaves no trace: it is not counted, logged, charged or given to a fault, as if it had
// never reached the server.
func (e *Emulator) apiCall(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if e.latency > 0 {
			t := time.NewTimer(e.latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				panic(http.ErrAbortHandler)
			}
		}
		at := e.now()
		e.mu.Lock()
		i := len(e.apiLog)
		e.apiLog = append(e.apiLog, APIRequest{Path: r.URL.Path, At: at})
		e.mu.Unlock()

		sw := &statusWriter{ResponseWriter: w}
		h(sw, r)

		e.mu.Lock()
		e.apiLog[i].Status = sw.status
		e.mu.Unlock()
	}
}

// statusWriter remembers the status a handler answered with. Unwrap lets http.ResponseController reach the
// connection for a Reset fault.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
