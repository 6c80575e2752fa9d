package handlers_test

import (
	"bytes"
	"encoding/json"
	"image/png"
	"strconv"
	"strings"
	"testing"
)

// TestHTTPSBaseURL: an https base URL makes the cookies Secure and adds HSTS.
func TestHTTPSBaseURL(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword, baseURL: "https://bodystats.example"})
	c := e.client()
	a := c.get("/signin")
	if got := a.header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("HSTS %q", got)
	}
	for _, v := range a.header.Values("Set-Cookie") {
		if !strings.Contains(v, "Secure") {
			t.Errorf("cookie without Secure: %q", v)
		}
	}
	if got := newAuthEnv(t, authConfig{}).client().get("/healthz").header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS on an http base URL: %q", got)
	}
}

// TestManifest: the web app manifest is valid JSON with the right type, and each icon loads at its size.
func TestManifest(t *testing.T) {
	e := newAuthEnv(t, authConfig{password: ownerPassword})
	c := e.client()
	a := c.get("/manifest.webmanifest")
	if a.status != 200 || a.header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest: %d %q", a.status, a.header.Get("Content-Type"))
	}
	var m struct {
		Name       string
		StartURL   string `json:"start_url"`
		Display    string
		ThemeColor string `json:"theme_color"`
		Icons      []struct{ Src, Sizes, Type, Purpose string }
	}
	dec := json.NewDecoder(strings.NewReader(a.body))
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("manifest is not JSON: %v", err)
	}
	if m.Name != "bodystats" || m.Display != "standalone" || m.ThemeColor != "#1f7a6d" || m.StartURL != "/" {
		t.Errorf("manifest %+v", m)
	}
	icons := map[string]string{}
	for _, ic := range m.Icons {
		icons[ic.Sizes+" "+ic.Purpose] = ic.Src
	}
	for _, want := range []string{"192x192 any", "512x512 any", "512x512 maskable"} {
		if icons[want] == "" {
			t.Errorf("no %s icon", want)
		}
	}
	icons["180x180 apple"] = "/static/icons/apple-touch-icon.png"
	for sizes, src := range icons {
		p := c.get(src)
		if p.status != 200 || p.header.Get("Content-Type") != "image/png" {
			t.Errorf("%s: %d %q", src, p.status, p.header.Get("Content-Type"))
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader([]byte(p.body)))
		want := strings.Fields(sizes)[0]
		if err != nil || strconv.Itoa(cfg.Width)+"x"+strconv.Itoa(cfg.Height) != want {
			t.Errorf("%s: %v %dx%d, want %s", src, err, cfg.Width, cfg.Height, want)
		}
	}
	page := c.get("/signin")
	for _, tag := range []string{`rel="manifest" href="/manifest.webmanifest"`, `name="theme-color"`, `rel="apple-touch-icon"`, `name="viewport"`} {
		if !strings.Contains(page.body, tag) {
			t.Errorf("pages lack %s", tag)
		}
	}
}
