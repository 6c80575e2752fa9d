package auth

import (
	"math"
	"sync"
	"time"
)

// ThrottleConfig sets how failed sign-ins are slowed. Nothing here locks anyone out for good: every wait ends.
type ThrottleConfig struct {
	FreeFailures int           // failures in a row from one client before waits start (10)
	BaseDelay    time.Duration // the first wait, doubled per further failure (1s)
	MaxDelay     time.Duration // the longest wait for one client (15m)
	GlobalBurst  int           // failures from all clients together before the overall limit applies (50)
	GlobalEvery  time.Duration // one more failure allowed overall per this period once the burst is spent (30s)
	Forget       time.Duration // a client's failures are forgotten after this long without one (24h)
	MaxClients   int           // clients remembered at most; the overall limit still holds beyond it (10000)
}

// DefaultThrottle: ten free tries per client, then 1s, 2s, 4s ... up to 15 minutes between tries; overall
// 50 failures, then one per 30 s (at most 2,880 guesses a day from any number of addresses).
var DefaultThrottle = ThrottleConfig{FreeFailures: 10, BaseDelay: time.Second, MaxDelay: 15 * time.Minute,
	GlobalBurst: 50, GlobalEvery: 30 * time.Second, Forget: 24 * time.Hour, MaxClients: 10000}

// Throttle counts failed sign-ins per client and overall. It is safe for concurrent use.
type Throttle struct {
	cfg ThrottleConfig
	now func() time.Time

	mu      sync.Mutex
	clients map[string]*failures
	tokens  float64 // the overall bucket: failures allowed now
	filled  time.Time
}

type failures struct {
	n    int
	last time.Time
}

// NewThrottle returns a Throttle; now nil means time.Now.
func NewThrottle(cfg ThrottleConfig, now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{cfg: cfg, now: now, clients: map[string]*failures{}, tokens: float64(cfg.GlobalBurst), filled: now()}
}

// Allow reports whether client may try a password now; when not, how long until it may.
func (t *Throttle) Allow(client string) (time.Duration, bool) { return t.allow(client, false) }

// AllowKnown is Allow for a browser that signed in before (a device cookie): it is held to its own address's
// limit only, so failures from many other addresses never keep the owner out.
func (t *Throttle) AllowKnown(client string) (time.Duration, bool) { return t.allow(client, true) }

func (t *Throttle) allow(client string, known bool) (time.Duration, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if f := t.clients[client]; f != nil && f.n >= t.cfg.FreeFailures && now.Sub(f.last) <= t.cfg.Forget {
		if wait := f.last.Add(t.delay(f.n)).Sub(now); wait > 0 {
			return wait, false
		}
	}
	t.refill(now)
	if t.tokens < 1 && !known {
		return time.Duration((1 - t.tokens) * float64(t.cfg.GlobalEvery)), false
	}
	return 0, true
}

// Fail records a wrong password from client.
func (t *Throttle) Fail(client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.refill(now)
	t.tokens = math.Max(t.tokens-1, 0)
	f := t.clients[client]
	if f == nil {
		if len(t.clients) >= t.cfg.MaxClients {
			t.prune(now)
		}
		if len(t.clients) >= t.cfg.MaxClients {
			return
		}
		f = &failures{}
		t.clients[client] = f
	}
	if now.Sub(f.last) > t.cfg.Forget {
		f.n = 0 // a day without a failure: the count starts over
	}
	f.n++
	f.last = now
}

// Succeed forgets client's failures: the owner typed the password.
func (t *Throttle) Succeed(client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.clients, client)
}

// delay is the wait after n failures in a row (n >= FreeFailures).
func (t *Throttle) delay(n int) time.Duration {
	shift := n - t.cfg.FreeFailures
	if shift > 30 {
		return t.cfg.MaxDelay
	}
	return min(t.cfg.BaseDelay<<shift, t.cfg.MaxDelay)
}

func (t *Throttle) refill(now time.Time) {
	if t.cfg.GlobalEvery > 0 && now.After(t.filled) {
		t.tokens = math.Min(t.tokens+float64(now.Sub(t.filled))/float64(t.cfg.GlobalEvery), float64(t.cfg.GlobalBurst))
	}
	t.filled = now
}

func (t *Throttle) prune(now time.Time) {
	for k, f := range t.clients {
		if now.Sub(f.last) > t.cfg.Forget {
			delete(t.clients, k)
		}
	}
}

// RetryAfter is a wait as the Retry-After header's whole seconds, rounded up.
func RetryAfter(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}
