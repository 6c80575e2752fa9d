package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const value = "hunter2-s3cr3t"

func TestSecretFmt(t *testing.T) {
	s := Secret(value)
	for _, verb := range []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%X", "%d", "%10s", "%T"} {
		got := fmt.Sprintf(verb, s)
		if strings.Contains(got, value) || strings.Contains(got, fmt.Sprintf("%x", value)) {
			t.Errorf("Sprintf(%q) = %q, reveals the secret", verb, got)
		}
	}
	tests := []struct{ verb, want string }{
		{"%s", "[redacted]"},
		{"%v", "[redacted]"},
		{"%#v", "[redacted]"},
		{"%q", `"[redacted]"`},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.verb, s); got != tt.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tt.verb, got, tt.want)
		}
	}
	// Inside a struct, a pointer or a slice fmt still reaches the methods.
	p := &s
	wrapped := struct {
		Token Secret
		Ptr   *Secret
		List  []Secret
	}{s, p, []Secret{s}}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if got := fmt.Sprintf(verb, wrapped); strings.Contains(got, value) {
			t.Errorf("Sprintf(%q, struct) = %q, reveals the secret", verb, got)
		}
	}
	if got := s.Reveal(); got != value {
		t.Errorf("Reveal() = %q, want %q", got, value)
	}
}

func TestSecretSlog(t *testing.T) {
	s := Secret(value)
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"Text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"JSON": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(h(&buf))
			log.Info("token", "secret", s, "ptr", &s, slog.Group("g", "secret", s), slog.Any("any", s))
			got := buf.String()
			if strings.Contains(got, value) {
				t.Errorf("log line %q reveals the secret", got)
			}
			if n := strings.Count(got, "[redacted]"); n != 4 {
				t.Errorf("log line %q has %d redactions, want 4", got, n)
			}
		})
	}
}

func TestSecretJSON(t *testing.T) {
	s := Secret(value)
	got, err := json.Marshal(struct {
		Token Secret            `json:"token"`
		Ptr   *Secret           `json:"ptr"`
		Map   map[string]Secret `json:"map"`
	}{s, &s, map[string]Secret{"a": s}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"token":"[redacted]","ptr":"[redacted]","map":{"a":"[redacted]"}}`
	if string(got) != want {
		t.Errorf("json = %s, want %s", got, want)
	}
	text, err := s.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if string(text) != "[redacted]" {
		t.Errorf("MarshalText = %q, want %q", text, "[redacted]")
	}
}
