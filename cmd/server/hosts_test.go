package main

import (
	"net/http"
	"testing"
)

// TestAllowedHostsWired: BODYSTATS_ALLOWED_HOSTS reaches the Host allowlist (the name a reverse proxy forwards).
func TestAllowedHostsWired(t *testing.T) {
	s := startServer(t, []string{"-data-dir", t.TempDir()}, []string{"BODYSTATS_ALLOWED_HOSTS=scale.example"})
	for host, want := range map[string]int{"scale.example": 200, "other.example": http.StatusMisdirectedRequest} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.url+"/healthz", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}
