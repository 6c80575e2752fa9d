package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dghubble/oauth1"
)

// TestPublicProfileRead: a two-legged request (consumer key and secret, no token) reads public profiles only,
// and their weight only where the body data is public.
func TestPublicProfileRead(t *testing.T) {
	emu := New(Options{Days: 30})
	emu.AddConsumer(testKey, testSecret)
	srv := httptest.NewServer(emu)
	defer srv.Close()
	cfg := oauth1.Config{ConsumerKey: testKey, ConsumerSecret: testSecret}
	hc := cfg.Client(t.Context(), oauth1.NewToken("", ""))
	for _, c := range []struct {
		id     string
		status int
		weight bool
	}{
		{demoUserID, 200, true}, {PublicNoBodyUserID, 200, false}, {PrivateUserID, 403, false}, {"QQQQQ1", 404, false}, {"-", 401, false},
	} {
		resp, err := hc.Get(srv.URL + "/1/user/" + c.id + "/profile.json")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: HTTP %d %s, want %d", c.id, resp.StatusCode, body, c.status)
			continue
		}
		if c.status != http.StatusOK {
			continue
		}
		var m map[string]map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		_, hasWeight := m["user"]["weight"]
		_, hasName := m["user"]["fullName"]
		if hasWeight != c.weight || hasName || m["user"]["encodedId"] != c.id {
			t.Errorf("%s: %s", c.id, body)
		}
	}
	// Without a signature at all, nothing.
	resp, err := http.Get(srv.URL + "/1/user/" + demoUserID + "/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned: HTTP %d, want 401", resp.StatusCode)
	}
}
