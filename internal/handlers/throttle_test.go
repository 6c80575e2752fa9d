package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/handlers"
)

// TestThrottleEleventhSlowed: ten wrong passwords in a row are answered; the 11th gets 429 with Retry-After,
// even with the right password, until the wait is over. Nothing is locked for good.
func TestThrottleEleventhSlowed(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	for i := 1; i <= 10; i++ {
		if a := c.signin("guess number " + strconv.Itoa(i)); a.status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i, a.status)
		}
	}
	a := c.signin("guess number 11")
	if a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "1" || !strings.Contains(a.body, "wait") {
		t.Fatalf("11th: %d Retry-After %q, want 429 with Retry-After 1", a.status, a.header.Get("Retry-After"))
	}
	if a := c.signin(ownerPassword); a.status != http.StatusTooManyRequests {
		t.Fatalf("the right password while slowed: %d, want 429 (no guess is checked during the wait)", a.status)
	}
	e.advance(time.Second)
	if a := c.signin("guess number 12"); a.status != http.StatusUnauthorized {
		t.Fatalf("after the wait: %d, want 401", a.status)
	}
	if a := c.signin(ownerPassword); a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "2" {
		t.Fatalf("after the 12th: %d Retry-After %q, want 429 with 2", a.status, a.header.Get("Retry-After"))
	}
	e.advance(2 * time.Second)
	if a := c.signin(ownerPassword); a.status != http.StatusSeeOther {
		t.Fatalf("the owner after the wait: %d, want 303", a.status)
	}
	if n := strings.Count(e.logs.String(), "sign-in failed"); n != 11 {
		t.Errorf("%d failures logged, want 11", n)
	}
	if strings.Contains(e.logs.String(), "guess number") {
		t.Error("a tried password reached the log")
	}
}

// TestThrottleOverall: wrong passwords from many addresses together hit the overall limit.
func TestThrottleOverall(t *testing.T) {
	proxies, _ := auth.ParseProxies("127.0.0.0/8")
	cfg := auth.DefaultThrottle
	cfg.GlobalBurst = 5
	e := newAuthEnv(t, authConfig{password: ownerPassword, opts: handlers.AuthOptions{TrustedProxies: proxies, Throttle: cfg}})
	for i := range 5 {
		c := e.client()
		c.header.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1))
		if a := c.signin("wrong password here"); a.status != http.StatusUnauthorized {
			t.Fatalf("address %d: %d", i, a.status)
		}
	}
	c := e.client()
	c.header.Set("X-Forwarded-For", "198.51.100.99")
	if a := c.signin(ownerPassword); a.status != http.StatusTooManyRequests || a.header.Get("Retry-After") != "30" {
		t.Fatalf("a fresh address past the overall limit: %d Retry-After %q, want 429 with 30", a.status, a.header.Get("Retry-After"))
	}
	e.advance(30 * time.Second)
	if a := c.signin(ownerPassword); a.status != http.StatusSeeOther {
		t.Fatalf("after the overall wait: %d", a.status)
	}
	// That browser signed in (and out again): failures from many other addresses spend the overall limit again,
	// but never keep it out, whatever address it comes from next.
	if a := c.post("/signout", url.Values{}); a.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", a.status)
	}
	for i := range 5 {
		g := e.client()
		g.header.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(i+10))
		g.signin("wrong password here")
	}
	c.header.Set("X-Forwarded-For", "203.0.113.77")
	if a := c.signin(ownerPassword); a.status != http.StatusSeeOther {
		t.Errorf("the owner's browser, known from its last sign-in, past the overall limit: %d, want 303", a.status)
	}
	stranger := e.client()
	stranger.header.Set("X-Forwarded-For", "203.0.113.78")
	if a := stranger.signin(ownerPassword); a.status != http.StatusTooManyRequests {
		t.Errorf("an unknown browser past the overall limit: %d, want 429", a.status)
	}
}

// TestTrustedProxies: X-Forwarded-For keys the throttle only when the peer is a trusted proxy; from anyone
// else it is ignored, so a guesser cannot dodge the limit by inventing addresses.
func TestTrustedProxies(t *testing.T) {
	t.Run("Trusted", func(t *testing.T) {
		proxies, _ := auth.ParseProxies("127.0.0.1/32")
		e := newAuthEnv(t, authConfig{password: ownerPassword, opts: handlers.AuthOptions{TrustedProxies: proxies}})
		guesser := e.client()
		guesser.header.Set("X-Forwarded-For", "203.0.113.5")
		for range 10 {
			guesser.signin("not the password")
		}
		if a := guesser.signin("not the password"); a.status != http.StatusTooManyRequests {
			t.Fatalf("11th from 203.0.113.5: %d, want 429", a.status)
		}
		owner := e.client()
		owner.header.Set("X-Forwarded-For", "192.0.2.44")
		if a := owner.signin(ownerPassword); a.status != http.StatusSeeOther {
			t.Fatalf("another client behind the same proxy: %d, want 303", a.status)
		}
		if !strings.Contains(e.logs.String(), "client=203.0.113.5") {
			t.Error("the log does not name the forwarded client")
		}
	})
	t.Run("UntrustedIgnored", func(t *testing.T) {
		proxies, _ := auth.ParseProxies("10.0.0.0/8")
		e := newAuthEnv(t, authConfig{password: ownerPassword, opts: handlers.AuthOptions{TrustedProxies: proxies}})
		guesser := e.client()
		for i := range 10 {
			guesser.header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(i+1))
			guesser.signin("not the password")
		}
		guesser.header.Set("X-Forwarded-For", "203.0.113.200")
		if a := guesser.signin("not the password"); a.status != http.StatusTooManyRequests {
			t.Fatalf("11th with a fresh forged address: %d, want 429 (the header must be ignored)", a.status)
		}
		if strings.Contains(e.logs.String(), "203.0.113") {
			t.Error("a forged X-Forwarded-For reached the log as the client")
		}
		// Nor does an untrusted peer's X-Forwarded-Host get past the Host allowlist.
		if a := guesser.do("GET", "/healthz", nil, http.Header{"X-Forwarded-Host": {"evil.example"}}); a.status != 200 {
			t.Errorf("an ignored X-Forwarded-Host: %d, want 200", a.status)
		}
	})
	t.Run("ForwardedHost", func(t *testing.T) {
		proxies, _ := auth.ParseProxies("127.0.0.1")
		e := newAuthEnv(t, authConfig{password: ownerPassword, opts: handlers.AuthOptions{TrustedProxies: proxies}})
		c := e.client()
		if a := c.do("GET", "/healthz", nil, http.Header{"X-Forwarded-Host": {"evil.example"}}); a.status != http.StatusMisdirectedRequest {
			t.Errorf("a trusted proxy forwarding an unknown host: %d, want 421", a.status)
		}
		// Behind the proxy, the browser's Origin is the public host: the cross-origin check must accept it.
		c.header.Set("X-Forwarded-Host", "bodystats.example")
		c.header.Set("X-Forwarded-Proto", "https")
		if a := c.get("/signin"); a.header.Get("Strict-Transport-Security") == "" || !strings.Contains(a.header.Get("Set-Cookie"), "Secure") {
			t.Errorf("https through the trusted proxy: HSTS %q, cookie %q; want HSTS and a Secure cookie",
				a.header.Get("Strict-Transport-Security"), a.header.Get("Set-Cookie"))
		}
		csrf := c.csrf("/signin")
		a := c.do("POST", "/signin", url.Values{"csrf": {csrf}, "password": {ownerPassword}}, http.Header{"Origin": {"https://bodystats.example"}})
		if a.status != http.StatusSeeOther {
			t.Errorf("a same-origin sign-in behind the proxy: %d, want 303", a.status)
		}
	})
}

// TestThrottleConcurrentGuesses: guesses sent all at once are checked one at a time, so the throttle counts each
// failure before the next guess: no more than ten of thirty get a password check.
func TestThrottleConcurrentGuesses(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	c.csrf("/signin") // one form, as a script would fetch it once
	var wg sync.WaitGroup
	var checked, slowed atomic.Int32
	for i := range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch c.signin("concurrent guess " + strconv.Itoa(i)).status {
			case http.StatusUnauthorized:
				checked.Add(1)
			case http.StatusTooManyRequests:
				slowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if checked.Load() > 10 || checked.Load()+slowed.Load() != 30 {
		t.Errorf("%d guesses checked and %d slowed of 30, want at most 10 checked and the rest slowed", checked.Load(), slowed.Load())
	}
}
