package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
)

// AuthOptions tune sign-in; the zero value is the production behaviour on loopback.
type AuthOptions struct {
	// Exposed: the listener accepts connections from beyond this machine. A BaseURL whose host is not a loopback
	// one counts as exposed too. Exposed with no password set, the app serves only the first-run page.
	Exposed bool
	// SetupCode is the one-time code the first-run page asks for (printed in the server's output). Only its
	// hash is kept; it works once.
	SetupCode string
	// Announce, when set, prints the setup code: called once, when a request first shows the app is reached
	// from beyond this machine (through a proxy, or by a host name) though it listens on loopback.
	Announce func()
	// TrustedProxies are the reverse proxies whose X-Forwarded-* headers are believed.
	TrustedProxies auth.Proxies
	SessionIdle    time.Duration       // a sign-in unused this long ends (30 days)
	SessionMax     time.Duration       // a sign-in ends this long after it began, used or not (90 days)
	Params         auth.Params         // argon2id costs for new hashes (auth.DefaultParams)
	Throttle       auth.ThrottleConfig // failed sign-in limits (auth.DefaultThrottle)
	Now            func() time.Time    // the throttle's clock (time.Now)
}

// Defaults for AuthOptions' zero values.
const (
	DefaultSessionIdle = 30 * 24 * time.Hour
	DefaultSessionMax  = 90 * 24 * time.Hour
)

// Cookies of sign-in: the session's random token (the database keeps its SHA-256) and the pre-session
// token that the sign-in and first-run forms' CSRF fields are bound to.
const (
	authCookie = "bodystats_auth"
	preCookie  = "bodystats_pre"
)

// authState is the Handler's sign-in machinery.
type authState struct {
	exposed  bool
	secure   bool // the base URL is https: Secure cookies and HSTS
	proxies  auth.Proxies
	idle     time.Duration
	max      time.Duration
	params   auth.Params
	throttle *auth.Throttle
	csrfKey  []byte

	mu        sync.Mutex
	setupHash []byte // nil once used or when there is no code
	announce  func()
	announced sync.Once

	// guessing admits one password check at a time: the throttle then counts every failure before the next try
	// is allowed, and argon2id's memory is spent once, not once per concurrent request.
	guessing chan struct{}
}

func newAuthState(o AuthOptions, baseURL string, sessionKey []byte) *authState {
	a := &authState{
		guessing: make(chan struct{}, 1),
		announce: o.Announce,
		exposed:  o.Exposed || !auth.LoopbackURL(baseURL),
		secure:   strings.HasPrefix(baseURL, "https://"),
		proxies:  o.TrustedProxies,
		idle:     o.SessionIdle,
		max:      o.SessionMax,
		params:   o.Params,
	}
	if a.idle <= 0 {
		a.idle = DefaultSessionIdle
	}
	if a.max <= 0 {
		a.max = DefaultSessionMax
	}
	a.idle = min(a.idle, a.max)
	if a.params == (auth.Params{}) {
		a.params = auth.DefaultParams
	}
	tc := o.Throttle
	if tc == (auth.ThrottleConfig{}) {
		tc = auth.DefaultThrottle
	}
	a.throttle = auth.NewThrottle(tc, o.Now)
	m := hmac.New(sha256.New, sessionKey)
	m.Write([]byte("bodystats sign-in csrf"))
	a.csrfKey = m.Sum(nil)
	if code := normalizeCode(o.SetupCode); code != "" {
		a.setupHash = auth.TokenHash(code)
	}
	return a
}

// normalizeCode lets a setup code be typed in any case, with or without its dashes and spaces.
func normalizeCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, strings.TrimSpace(s))
}

// takeSetupCode reports whether code is the first-run code, comparing in constant time, and spends it.
func (a *authState) takeSetupCode(code string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.setupHash == nil || !auth.SameToken(normalizeCode(code), a.setupHash) {
		return false
	}
	a.setupHash = nil
	return true
}

type ctxKey int

const (
	ctxSignIn ctxKey = iota // []byte: the signed-in session's token hash
	ctxClient               // auth.Forwarded
)

// signInOf returns the token hash of the request's signed-in session, nil when it has none (or no password
// is set).
func signInOf(ctx context.Context) []byte {
	b, _ := ctx.Value(ctxSignIn).([]byte)
	return b
}

// clientOf returns who sent the request, after trusted proxies.
func clientOf(ctx context.Context) auth.Forwarded {
	f, _ := ctx.Value(ctxClient).(auth.Forwarded)
	return f
}

// exposedRequest reports whether the request shows the app is reached from beyond this machine: the listener or
// the base URL says so, or the request came through a proxy (forwarding headers) or names a host that is not a
// loopback one. A loopback listener behind nginx's proxy_pass is as exposed as one on 0.0.0.0.
func (a *authState) exposedRequest(r *http.Request) bool {
	if a.exposed {
		return true
	}
	forwarded := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-IP") != "" ||
		r.Header.Get("X-Forwarded-Host") != ""
	if !forwarded && auth.LoopbackURL("http://"+r.Host) {
		return false
	}
	if a.announce != nil {
		a.announced.Do(a.announce)
	}
	return true
}

// guess checks a password for client, one check at a time: the throttle may refuse first (then wait says how
// long), a failure is counted before the next check begins, and a success clears the client's count.
func (a *authState) guess(ctx context.Context, client string, known bool, check func() (bool, error)) (ok bool, wait time.Duration, err error) {
	select {
	case a.guessing <- struct{}{}:
	case <-ctx.Done():
		return false, 0, ctx.Err()
	}
	defer func() { <-a.guessing }()
	allow := a.throttle.Allow
	if known {
		allow = a.throttle.AllowKnown
	}
	if wait, allowed := allow(client); !allowed {
		return false, max(wait, time.Second), nil
	}
	if ok, err = check(); err != nil {
		return false, 0, err
	}
	if ok {
		a.throttle.Succeed(client)
	} else {
		a.throttle.Fail(client)
	}
	return ok, 0, nil
}
