package main

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLooseKeyFileStopsStartup: a key file other users can read stops start-up with a way to fix it.
func TestLooseKeyFileStopsStartup(t *testing.T) {
	for _, name := range []string{"secret.key", "session.key"} {
		t.Run(name, func(t *testing.T) {
			dataDir := t.TempDir()
			// A first run creates both keys with mode 0600.
			var out bytes.Buffer
			if err := run(t.Context(), []string{"-data-dir", dataDir, "export"}, nil, &out, io.Discard); err != nil {
				t.Fatal(err)
			}
			s := startServer(t, []string{"-data-dir", dataDir}, nil) // creates session.key too
			s.stop()
			if err := os.Chmod(filepath.Join(dataDir, name), 0o644); err != nil {
				t.Fatal(err)
			}
			err := run(t.Context(), []string{"-data-dir", dataDir, "-addr", "127.0.0.1:0"}, nil, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("start with a 0644 %s = %v, want a refusal naming chmod 600", name, err)
			}
		})
	}
}

func TestHealthcheckCommand(t *testing.T) {
	ln := httptest.NewUnstartedServer(nil).Listener // a free port for the server to take
	addr := ln.Addr().String()
	ln.Close()
	dataDir := t.TempDir()
	args := []string{"-data-dir", dataDir, "-addr", addr}
	s := startServer(t, args, nil)
	if err := run(t.Context(), append(args, "healthcheck"), nil, io.Discard, io.Discard); err != nil {
		t.Errorf("healthcheck against a running server: %v", err)
	}
	s.stop()
	if err := run(t.Context(), append(args, "healthcheck"), nil, io.Discard, io.Discard); err == nil {
		t.Error("healthcheck succeeded with no server running")
	}
}
