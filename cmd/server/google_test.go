package main

import (
	"html"
	"io"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/googlehealth"
)

var requestField = regexp.MustCompile(`name="request" value="([^"]+)"`)

// TestGoogleClientFromEnvironment configures a Google OAuth client the way the setup page says (only the
// environment variables; here the Google endpoints point at the emulator) and signs in through the app.
func TestGoogleClientFromEnvironment(t *testing.T) {
	emu := emulator.New(emulator.Options{})
	api := httptest.NewServer(emu)
	defer api.Close()

	// The app's URL must be known to register the redirect URI, as a person would paste it: take a free port.
	ln := httptest.NewUnstartedServer(nil).Listener
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	emu.AddOAuth2Client("my-client.apps.example", "my-client-secret", base+"/callback")
	env := []string{
		"GOOGLE_CLIENT_ID=my-client.apps.example", "GOOGLE_CLIENT_SECRET=my-client-secret",
		"GOOGLE_AUTH_URL=" + api.URL + "/o/oauth2/v2/auth", "GOOGLE_TOKEN_URL=" + api.URL + "/token",
		"GOOGLE_HEALTH_API_URL=" + api.URL,
	}
	s := startServer(t, []string{"-data-dir", t.TempDir(), "-addr", addr}, env)

	c := newBrowser()
	landing, _ := get(t, c, s.url+"/")
	if strings.Contains(landing, "Demo mode") || !strings.Contains(landing, "Connect Fitbit via Google Health") {
		t.Fatalf("landing page with a Google client:\n%s", landing)
	}
	setup, _ := get(t, c, s.url+"/setup")
	if !strings.Contains(setup, "<code>"+base+"/callback</code>") || !strings.Contains(setup, googlehealth.ScopeHealthMetrics) {
		t.Errorf("the setup page does not show the exact redirect URI and scopes:\n%s", setup)
	}
	consent, resp := get(t, c, s.url+"/login")
	m := requestField.FindStringSubmatch(consent)
	if m == nil || !strings.HasPrefix(resp.Request.URL.String(), api.URL+"/o/oauth2/v2/auth") {
		t.Fatalf("/login led to %s:\n%s", resp.Request.URL, consent)
	}
	form := url.Values{"request": {html.UnescapeString(m[1])}, "decision": {"allow"}} // every scope granted
	resp2, err := c.PostForm(api.URL+"/o/oauth2/v2/auth", form)
	if err != nil {
		t.Fatal(err)
	}
	dash, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	logs := emu.WeightLogs()
	want := `data-measure="weight">` + strconv.FormatFloat(logs[len(logs)-1].WeightKg, 'f', 1, 64) + "<"
	if resp2.Request.URL.String() != s.url+"/" || !strings.Contains(string(dash), want) {
		t.Fatalf("Allow ended at %s without %s:\n%s", resp2.Request.URL, want, dash)
	}
	if status := waitIdle(t, c, s.url); !strings.Contains(status, `"measurements":`+strconv.Itoa(len(logs))) {
		t.Errorf("status = %s, want %d measurements", status, len(logs))
	}
	if strings.Contains(s.stderr.String(), "my-client-secret") {
		t.Error("the log holds the client secret")
	}
}
