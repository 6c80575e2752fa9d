package auth

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)} }
func fail(th *Throttle, key string, n int) {
	for range n {
		th.Fail(key)
	}
}

func TestThrottleEleventhSlowed(t *testing.T) {
	c := newClock()
	th := NewThrottle(DefaultThrottle, c.now)
	for i := 1; i <= 10; i++ {
		if _, ok := th.Allow("198.51.100.7"); !ok {
			t.Fatalf("attempt %d refused; the first ten are free", i)
		}
		th.Fail("198.51.100.7")
	}
	wait, ok := th.Allow("198.51.100.7")
	if ok || wait != time.Second {
		t.Fatalf("11th attempt: Allow = %v, %v; want a 1s wait", wait, ok)
	}
	if _, ok := th.Allow("203.0.113.9"); !ok {
		t.Fatal("another client is slowed by the first one's failures")
	}
	c.add(time.Second)
	if _, ok := th.Allow("198.51.100.7"); !ok {
		t.Fatal("still refused after the wait")
	}
	th.Fail("198.51.100.7")
	if wait, _ := th.Allow("198.51.100.7"); wait != 2*time.Second {
		t.Fatalf("12th: wait %v, want 2s (doubling)", wait)
	}
}

func TestThrottleNeverLocksForGood(t *testing.T) {
	c := newClock()
	th := NewThrottle(DefaultThrottle, c.now)
	for range 200 {
		th.Fail("198.51.100.7")
	}
	wait, ok := th.Allow("198.51.100.7")
	if ok || wait > DefaultThrottle.MaxDelay {
		t.Fatalf("after 200 failures: wait %v, ok %v; want at most %v", wait, ok, DefaultThrottle.MaxDelay)
	}
	c.add(DefaultThrottle.MaxDelay)
	if _, ok := th.Allow("198.51.100.7"); !ok {
		t.Fatal("refused after the longest wait")
	}
	th.Succeed("198.51.100.7")
	for range 10 {
		if _, ok := th.Allow("198.51.100.7"); !ok {
			t.Fatal("a success did not reset the count")
		}
	}
}

func TestThrottleOverall(t *testing.T) {
	c := newClock()
	cfg := DefaultThrottle
	th := NewThrottle(cfg, c.now)
	// Many addresses, each under its own limit, together spend the overall budget.
	for i := range cfg.GlobalBurst {
		th.Fail(string(rune('a'+i%26)) + string(rune('a'+i/26)))
	}
	wait, ok := th.Allow("fresh-client")
	if ok || wait != cfg.GlobalEvery {
		t.Fatalf("overall: Allow = %v, %v; want a %v wait", wait, ok, cfg.GlobalEvery)
	}
	c.add(cfg.GlobalEvery)
	if _, ok := th.Allow("fresh-client"); !ok {
		t.Fatal("the overall budget does not refill")
	}
}

func TestThrottleBoundedMemory(t *testing.T) {
	c := newClock()
	cfg := DefaultThrottle
	cfg.MaxClients = 3
	th := NewThrottle(cfg, c.now)
	for _, k := range []string{"a", "b", "c", "d"} {
		th.Fail(k)
	}
	if len(th.clients) != 3 {
		t.Fatalf("%d clients kept, want 3", len(th.clients))
	}
	c.add(cfg.Forget + time.Second)
	th.Fail("e")
	if len(th.clients) != 1 {
		t.Fatalf("%d clients after forgetting, want 1", len(th.clients))
	}
}

func TestRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1500 * time.Millisecond: 2, 15 * time.Minute: 900} {
		if got := RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestThrottleForgets(t *testing.T) {
	c := newClock()
	th := NewThrottle(DefaultThrottle, c.now)
	fail(th, "198.51.100.7", 10)
	c.add(DefaultThrottle.Forget + time.Second)
	th.Fail("198.51.100.7")
	if _, ok := th.Allow("198.51.100.7"); !ok {
		t.Fatal("a failure a day after ten others is slowed as the eleventh in a row")
	}
}
