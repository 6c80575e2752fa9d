package emulator

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// rateWindow is one user's budget. The window opens at the user's first request (by the protocol clock) and
// lasts Options.RateWindow (an hour by default, as Fitbit's); the real API resets near the top of the hour,
// which no client may rely on.
type rateWindow struct {
	start time.Time
	used  int
}

type rateStatus struct {
	limit, remaining int
	reset            int // seconds until the window closes
	allowed          bool
}

// takeRate charges one request to userID's budget. Refused requests are not charged.
func (e *Emulator) takeRate(userID string) rateStatus {
	now := e.now()
	e.mu.Lock()
	defer e.mu.Unlock()
	w := e.rates[userID]
	if w == nil || !now.Before(w.start.Add(e.rateWindow)) {
		w = &rateWindow{start: now}
		e.rates[userID] = w
	}
	st := rateStatus{limit: e.rateLimit, reset: int(math.Ceil(w.start.Add(e.rateWindow).Sub(now).Seconds()))}
	if w.used >= e.rateLimit {
		e.rateLimited++
		return st
	}
	w.used++
	st.remaining, st.allowed = e.rateLimit-w.used, true
	return st
}

func (s rateStatus) setHeaders(h http.Header) {
	h.Set("Fitbit-Rate-Limit-Limit", strconv.Itoa(s.limit))
	h.Set("Fitbit-Rate-Limit-Remaining", strconv.Itoa(s.remaining))
	h.Set("Fitbit-Rate-Limit-Reset", strconv.Itoa(s.reset))
}
