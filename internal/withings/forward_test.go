package withings

import (
	"crypto/sha256"
	"encoding/base64"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestForwardingPage checks the static page people host as their https redirect URI: its one script is the one
// its Content-Security-Policy allows, it loads nothing from anywhere, and it touches no storage or network.
func TestForwardingPage(t *testing.T) {
	raw, err := os.ReadFile("../../docs/withings-forward.html")
	if err != nil {
		t.Fatal(err)
	}
	page := string(raw)
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page, -1)
	if len(scripts) != 1 {
		t.Fatalf("%d inline scripts, want 1", len(scripts))
	}
	sum := sha256.Sum256([]byte(scripts[0][1]))
	if want := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(page, want) {
		t.Errorf("the policy does not allow the page's script (want %s)", want)
	}
	for _, s := range []string{"default-src 'none'", `name="referrer" content="no-referrer"`, "location.replace(target + window.location.search)"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	for _, bad := range []string{" src=", "<link", "fetch(", "XMLHttpRequest", "sendBeacon", "localStorage", "sessionStorage",
		"document.cookie", "indexedDB", "console.", "<img", "<iframe", "WebSocket"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
}
