package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// signedOutRoutes: every route but the public ones, plus the sign-in era's own and a path that does not exist.
var signedOutRoutes = append(append([]struct{ method, path string }{}, everyRoute...), []struct{ method, path string }{
	{"GET", "/settings/security"}, {"POST", "/settings/password"}, {"POST", "/signout/everywhere"},
	{"GET", "/setup-password"}, {"POST", "/setup-password"}, {"GET", "/demo/fitbit/oauth/authorize"},
	{"GET", "/weight?range=all"}, {"GET", "/no-such-page"}, {"HEAD", "/export.csv"},
}...)

func isPublic(path string) bool {
	return path == "/healthz" || strings.HasPrefix(path, "/static/")
}

// TestSignedOutGetsNothing: with a password set, every route answers 303 to /signin or 401 to a signed-out
// browser, and no answer carries a weight.
func TestSignedOutGetsNothing(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	for _, rt := range signedOutRoutes {
		if isPublic(rt.path) {
			continue
		}
		a := c.do(rt.method, rt.path, url.Values{"weight": {"80"}}, nil)
		switch {
		case a.status == http.StatusSeeOther && strings.HasPrefix(a.header.Get("Location"), "/signin"):
		case a.status == http.StatusUnauthorized:
		default:
			t.Errorf("%s %s signed out: %d to %q, want 303 to /signin or 401", rt.method, rt.path, a.status, a.header.Get("Location"))
		}
		if strings.Contains(a.body, "83.7") || strings.Contains(a.body, "83,7") {
			t.Errorf("%s %s signed out carries the weight", rt.method, rt.path)
		}
	}
	if a := c.get("/sync/status"); a.status != http.StatusUnauthorized || !strings.Contains(a.header.Get("Content-Type"), "json") {
		t.Errorf("GET /sync/status signed out: %d %s, want a JSON 401", a.status, a.header.Get("Content-Type"))
	}
	if a := c.get("/weight"); a.header.Get("Location") != "/signin?next=%2Fweight" {
		t.Errorf("GET /weight redirects to %q, want /signin?next=%%2Fweight", a.header.Get("Location"))
	}
	for path, want := range map[string]int{"/healthz": 200, "/static/style.css": 200, "/signin": 200, "/manifest.webmanifest": 200} {
		if a := c.get(path); a.status != want {
			t.Errorf("GET %s signed out: %d, want %d", path, a.status, want)
		}
	}
	if n := countSignIns(t, e); n != 0 {
		t.Errorf("%d sessions exist after only signed-out requests", n)
	}
}

// TestSignin: signing in returns to the page asked for, the cookie is HttpOnly and SameSite=Lax, and the
// pages then show the history.
func TestSignin(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	csrf := c.csrf("/signin?next=%2Fweight%3Frange%3Dall")
	a := c.post("/signin", url.Values{"csrf": {csrf}, "password": {ownerPassword}, "next": {"/weight?range=all"}})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/weight?range=all" {
		t.Fatalf("sign-in: %d to %q, want 303 to /weight?range=all\n%s", a.status, a.header.Get("Location"), a.body)
	}
	var set string
	for _, v := range a.header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "bodystats_auth=") {
			set = v
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=7776000"} {
		if !strings.Contains(set, attr) {
			t.Errorf("session cookie %q lacks %s", set, attr)
		}
	}
	if strings.Contains(set, "Secure") {
		t.Errorf("session cookie on an http base URL is Secure: %q", set)
	}
	if p := c.get("/weight"); p.status != 200 || !strings.Contains(p.body, "83.7") || !strings.Contains(p.body, `action="/signout"`) {
		t.Errorf("GET /weight signed in: %d, weight shown %v, sign-out button %v", p.status, strings.Contains(p.body, "83.7"), strings.Contains(p.body, "/signout"))
	}
	if p := c.get("/signin?next=/fat"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/fat" {
		t.Errorf("GET /signin signed in: %d to %q, want 303 to /fat", p.status, p.header.Get("Location"))
	}
	if strings.Contains(e.logs.String(), ownerPassword) {
		t.Error("the password reached the log")
	}
}

// TestSigninBadInput: each wrong form gets a sentence and a 4xx, and no session.
func TestSigninBadInput(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	huge := strings.Repeat("p", 10<<10)
	tests := []struct {
		name     string
		password string
		status   int
		says     string
	}{
		{"Wrong", "bathroom-scale-2025", http.StatusUnauthorized, "not the password"},
		{"Empty", "", http.StatusBadRequest, "Enter your password"},
		{"TenKB", huge, http.StatusUnauthorized, "not the password"},
		{"RightPlusSpace", ownerPassword + " ", http.StatusUnauthorized, "not the password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client()
			a := c.signin(tt.password)
			if a.status != tt.status || !strings.Contains(a.body, tt.says) {
				t.Fatalf("status %d, want %d saying %q\n%s", a.status, tt.status, tt.says, a.body)
			}
			if c.cookie("bodystats_auth") != "" {
				t.Fatal("a failed sign-in set a session cookie")
			}
			if p := c.get("/"); p.status != http.StatusSeeOther {
				t.Fatalf("after a failed sign-in GET /: %d", p.status)
			}
		})
	}
	if logs := e.logs.String(); strings.Contains(logs, "bathroom-scale-2025") || strings.Contains(logs, huge[:64]) {
		t.Error("a tried password reached the log")
	}
	if got := strings.Count(e.logs.String(), "sign-in failed"); got != 3 {
		t.Errorf("%d failures logged, want 3 (an empty form is no guess)", got)
	}
}

// TestLoginCSRF: a sign-in form that did not come from this browser's own GET /signin is refused.
func TestLoginCSRF(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	other := e.client().csrf("/signin") // a field bound to another browser's pre-session cookie
	tests := []struct {
		name   string
		form   url.Values
		header http.Header
		visit  bool // fetch the form first, so the browser has its pre-session cookie
	}{
		{"NoCSRFField", url.Values{"password": {ownerPassword}}, nil, true},
		{"NoPreSessionCookie", url.Values{"password": {ownerPassword}, "csrf": {other}}, nil, false},
		{"AnotherBrowsersField", url.Values{"password": {ownerPassword}, "csrf": {other}}, nil, true},
		{"CrossSite", nil, http.Header{"Sec-Fetch-Site": {"cross-site"}}, true},
		{"ForeignOrigin", nil, http.Header{"Origin": {"http://evil.example"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.client()
			form := tt.form
			if tt.visit {
				csrf := c.csrf("/signin")
				if form == nil {
					form = url.Values{"password": {ownerPassword}, "csrf": {csrf}}
				}
			}
			a := c.do("POST", "/signin", form, tt.header)
			if a.status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", a.status)
			}
			if c.cookie("bodystats_auth") != "" {
				t.Fatal("a forged sign-in set a session cookie")
			}
		})
	}
}

// TestNoOpenRedirect: next is followed only to a path of this app.
func TestNoOpenRedirect(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "http:/evil.example", " /weight", "javascript:alert(1)"} {
		c := e.client()
		a := c.post("/signin", url.Values{"csrf": {c.csrf("/signin")}, "password": {ownerPassword}, "next": {next}})
		if a.status != http.StatusSeeOther || a.header.Get("Location") != "/" {
			t.Errorf("next=%q: %d to %q, want 303 to /", next, a.status, a.header.Get("Location"))
		}
	}
}

func countSignIns(t *testing.T, e *authEnv) int {
	t.Helper()
	n, err := e.db.CountSignIns(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
