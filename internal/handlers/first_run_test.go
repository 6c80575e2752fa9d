package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bodystats/bodystats/internal/handlers"
)

const setupCode = "K7QH-2MXD-9PLA"

// TestFirstRunBeyondLoopback: with a base URL beyond loopback and no password, no route serves health data;
// only the first-run page, which needs the setup code printed in the server's output.
func TestFirstRunBeyondLoopback(t *testing.T) {
	e := newAuthEnv(t, authConfig{baseURL: "http://bodystats.example:8080", opts: handlers.AuthOptions{SetupCode: setupCode}})
	c := e.client()
	for _, rt := range signedOutRoutes {
		if isPublic(rt.path) || strings.HasPrefix(rt.path, "/setup-password") {
			continue
		}
		a := c.do(rt.method, rt.path, url.Values{"weight": {"80"}}, nil)
		if !(a.status == http.StatusSeeOther && a.header.Get("Location") == "/setup-password") && a.status != http.StatusUnauthorized {
			t.Errorf("%s %s: %d to %q, want 303 to /setup-password or 401", rt.method, rt.path, a.status, a.header.Get("Location"))
		}
		if strings.Contains(a.body, "83.7") {
			t.Errorf("%s %s carries the weight", rt.method, rt.path)
		}
	}
	for _, p := range []string{"/signin", "/api/v1/weighins"} {
		if a := c.get(p); a.status != http.StatusSeeOther && a.status != http.StatusUnauthorized {
			t.Errorf("GET %s: %d", p, a.status)
		}
	}
	if a := c.get("/healthz"); a.status != 200 {
		t.Errorf("GET /healthz: %d", a.status)
	}

	form := func(c *client, code, pw, confirm string) url.Values {
		return url.Values{"csrf": {c.csrf("/setup-password")}, "code": {code}, "password": {pw}, "confirm": {confirm}}
	}
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{"WrongCode", form(c, "AAAA-BBBB-CCCC", "a good password", "a good password"), http.StatusUnauthorized, "not the setup code"},
		{"ShortPassword", form(c, setupCode, "too short", "too short"), http.StatusBadRequest, "at least 10"},
		{"Mismatch", form(c, setupCode, "a good password", "a good passworD"), http.StatusBadRequest, "differ"},
		{"NoCSRF", url.Values{"code": {setupCode}, "password": {"a good password"}, "confirm": {"a good password"}}, http.StatusForbidden, "expired"},
	} {
		if a := c.post("/setup-password", tt.form); a.status != tt.status || !strings.Contains(a.body, tt.says) {
			t.Errorf("%s: %d, want %d saying %q", tt.name, a.status, tt.status, tt.says)
		}
	}
	// The refusals above did not spend the code (only a right code does).
	a := c.post("/setup-password", form(c, strings.ToLower(setupCode), "a good password", "a good password"))
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/" {
		t.Fatalf("setup: %d to %q\n%s", a.status, a.header.Get("Location"), a.body)
	}
	if p := c.get("/"); p.status != 200 || !strings.Contains(p.body, "83.7") {
		t.Fatalf("after setup, the dashboard: %d", p.status)
	}
	// Single use: the page is gone and the code opens nothing.
	other := e.client()
	if p := other.get("/setup-password"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/signin?next=%2Fsetup-password" {
		t.Errorf("GET /setup-password after setup: %d to %q", p.status, p.header.Get("Location"))
	}
	if p := other.signin("a good password"); p.status != http.StatusSeeOther {
		t.Errorf("sign-in with the new password: %d", p.status)
	}
	if strings.Contains(e.logs.String(), setupCode) || strings.Contains(e.logs.String(), "a good password") {
		t.Error("the setup code or the password reached the log")
	}
}

// TestFirstRunExposedListener: a loopback base URL with a listener beyond loopback is the same first run.
func TestFirstRunExposedListener(t *testing.T) {
	e := newAuthEnv(t, authConfig{opts: handlers.AuthOptions{Exposed: true}})
	if a := e.client().get("/"); a.status != http.StatusSeeOther || a.header.Get("Location") != "/setup-password" {
		t.Fatalf("GET /: %d to %q, want 303 to /setup-password", a.status, a.header.Get("Location"))
	}
	// Without a code (none was printed) no code works.
	c := e.client()
	if a := c.post("/setup-password", url.Values{"csrf": {c.csrf("/setup-password")}, "code": {""}, "password": {"a good password"}, "confirm": {"a good password"}}); a.status != http.StatusUnauthorized {
		t.Fatalf("an empty code: %d, want 401", a.status)
	}
}

// TestLoopbackNoPassword: on loopback with no password nothing asks for one (CONTRACT.md).
func TestLoopbackNoPassword(t *testing.T) {
	e := newAuthEnv(t, authConfig{})
	c := e.client()
	if a := c.get("/weight"); a.status != 200 || !strings.Contains(a.body, "83.7") {
		t.Fatalf("GET /weight: %d", a.status)
	}
	for _, p := range []string{"/signin", "/setup-password"} {
		if a := c.get(p); a.status != http.StatusSeeOther || a.header.Get("Location") != "/" {
			t.Errorf("GET %s: %d to %q, want 303 to /", p, a.status, a.header.Get("Location"))
		}
	}
	// Setting the first password from Settings signs this browser in.
	if a := c.post("/settings/password", url.Values{"password": {"first password"}, "confirm": {"first password"}}); a.status != http.StatusSeeOther {
		t.Fatalf("set the first password: %d", a.status)
	}
	if a := c.get("/weight"); a.status != 200 {
		t.Errorf("this browser after setting the password: %d", a.status)
	}
	if a := e.client().get("/weight"); a.status != http.StatusSeeOther {
		t.Errorf("another browser after the password: %d, want 303", a.status)
	}
}

// TestFirstRunBehindALoopbackProxy: a loopback listener reached through a reverse proxy on the same machine (nginx's
// proxy_pass sends Host: localhost and X-Forwarded-For) or by a host name the allowlist names is beyond loopback:
// with no password it serves no health data, and the setup code is announced once.
func TestFirstRunBehindALoopbackProxy(t *testing.T) {
	var announced atomic.Int32
	e := newAuthEnv(t, authConfig{opts: handlers.AuthOptions{SetupCode: setupCode, Announce: func() { announced.Add(1) }}})
	if a := e.client().get("/weight"); a.status != http.StatusOK || !strings.Contains(a.body, "83.7") {
		t.Fatalf("a plain loopback request: %d, want the page", a.status)
	}
	if n := announced.Load(); n != 0 {
		t.Fatalf("the setup code was announced %d times before any request came from beyond", n)
	}
	for _, h := range []map[string]string{
		{"X-Forwarded-For": "203.0.113.5"},
		{"Forwarded": "for=203.0.113.5"},
		{"X-Real-IP": "203.0.113.5"},
		{"X-Forwarded-Host": "scale.example"},
	} {
		c := e.client()
		for k, v := range h {
			c.header.Set(k, v)
		}
		for _, path := range []string{"/", "/weight", "/export.csv", "/sources"} {
			a := c.get(path)
			if a.status != http.StatusSeeOther || a.header.Get("Location") != "/setup-password" || strings.Contains(a.body, "83.7") {
				t.Errorf("%v GET %s: %d to %q, want 303 to /setup-password and no weight", h, path, a.status, a.header.Get("Location"))
			}
		}
	}
	if n := announced.Load(); n != 1 {
		t.Errorf("the setup code was announced %d times, want once", n)
	}
}
