package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

var everyRoute = []struct{ method, path string }{
	{"GET", "/"}, {"GET", "/login"}, {"GET", "/callback?oauth_token=a&oauth_verifier=b"}, {"GET", "/weight"},
	{"GET", "/bmi"}, {"GET", "/fat"}, {"GET", "/export.csv"}, {"GET", "/sync/status"}, {"GET", "/healthz"},
	{"GET", "/settings"}, {"GET", "/setup"}, {"GET", "/import"}, {"GET", "/import/status?id=x"}, {"GET", "/static/style.css"},
	{"POST", "/sync"}, {"POST", "/logout"}, {"POST", "/settings"}, {"POST", "/import"}, {"POST", "/weighins"},
	{"POST", "/weighins/hide"}, {"POST", "/settings/figure"},
}

func send(t *testing.T, e *env, method, path string, header map[string]string, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, e.app.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestForeignHostRefused: a request naming another host (a DNS-rebinding page) gets a 4xx on every route.
func TestForeignHostRefused(t *testing.T) {
	e := newEnv(t)
	e.browser().connect()
	for _, rt := range everyRoute {
		resp := send(t, e, rt.method, rt.path, map[string]string{"Host": "evil.example"}, "")
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Errorf("%s %s with Host evil.example: %d, want 4xx", rt.method, rt.path, resp.StatusCode)
		}
	}
	if resp := send(t, e, "GET", "/healthz", map[string]string{"Host": "localhost:8080"}, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz with Host localhost:8080: %d", resp.StatusCode)
	}
}

// TestCrossSitePostRefused: another site's page cannot log the person out or start a sync.
func TestCrossSitePostRefused(t *testing.T) {
	e := newEnv(t)
	e.browser().connect()
	for _, path := range []string{"/logout", "/sync", "/settings", "/weighins/hide"} {
		for _, h := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://evil.example"}} {
			if resp := send(t, e, "POST", path, h, "unit=lb"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("cross-site POST %s (%v): %d, want 403", path, h, resp.StatusCode)
			}
		}
	}
	if s := e.browser().status(); s.Measurements == 0 || strings.Contains(s.Message, "No account") {
		t.Errorf("a refused cross-site logout disconnected the account: %+v", s)
	}
	if resp := send(t, e, "POST", "/sync", map[string]string{"Sec-Fetch-Site": "same-origin"}, ""); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST /sync: %d, want 303", resp.StatusCode)
	}
}

// TestSecurityHeadersEverywhere: every answer carries the headers, error pages included.
func TestSecurityHeadersEverywhere(t *testing.T) {
	e := newEnv(t)
	e.browser().connect()
	for _, rt := range everyRoute {
		resp := send(t, e, rt.method, rt.path, nil, "")
		h := resp.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s %s: headers %v", rt.method, rt.path, h)
		}
	}
}

func TestOversizedFormRefused(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	resp := send(t, e, "POST", "/settings", nil, "goal="+strings.Repeat("9", 100<<10))
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Errorf("a 100 KB form: %d, want 4xx", resp.StatusCode)
	}
}
