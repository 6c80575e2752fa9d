package ihealth_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/registry"
)

// TestDemoIHealth: demo mode's settings (consent under the app's address, tokens and data on the emulator's
// port) connect and sync the demo person.
func TestDemoIHealth(t *testing.T) {
	emu := emulator.New(emulator.Options{Days: 40})
	api := httptest.NewServer(emu)
	defer api.Close()
	// The app serves the emulator's consent pages under a prefix, as handlers.DemoConsentPrefix does.
	const prefix = "/demo/fitbit"
	app := httptest.NewServer(http.StripPrefix(prefix, emu))
	defer app.Close()
	d := emulator.Demo{URL: api.URL, ConsentURL: app.URL + prefix, ClientID: "bodystats-demo", Secret: "demo-secret", Callback: "http://app.invalid/callback"}
	env := provider.Env{CallbackURL: d.Callback, BaseURL: "http://app.invalid"}
	var p provider.Provider
	for _, q := range registry.BuildDemo(registry.Entries(), emu, d, env) {
		if q.Name() == "ihealth" {
			p = q
		}
	}
	if p == nil || p.Info().Action != "Connect iHealth (demo)" {
		t.Fatalf("demo providers lack iHealth: %v", p)
	}
	authURL, pending, err := p.Begin(t.Context())
	if err != nil || !strings.HasPrefix(authURL, app.URL+prefix+"/OpenApiV2/OAuthv2/userauthorization/") {
		t.Fatalf("consent URL %s, %v", authURL, err)
	}
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="request" value="([0-9a-f]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no consent form: %s", page)
	}
	form, _ := url.Parse(authURL)
	resp, err = browser.PostForm(form.Scheme+"://"+form.Host+form.Path, url.Values{"request": {string(m[1])}, "decision": {"allow"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	tok, err := p.Complete(t.Context(), pending, connect.ParseCallback(loc.Query()))
	if err != nil {
		t.Fatal(err)
	}
	prof, err := p.Identify(t.Context(), nil, tok)
	if err != nil || prof.UserID != emu.IHealthUserID() {
		t.Fatalf("Identify = %+v, %v", prof, err)
	}
	src, err := p.Source(provider.SourceEnv{HTTP: p.Client(t.Context(), tok), Account: provider.Account{UserID: prof.UserID}, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range 100 {
		st, err := src.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		n += len(st.Readings)
		if st.Done {
			break
		}
	}
	if n != len(emu.WeightLogs()) {
		t.Errorf("%d readings, want %d", n, len(emu.WeightLogs()))
	}
}
