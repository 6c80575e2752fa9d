package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bodystats/bodystats/internal/config"
)

// TestDemoMode: demo mode when asked for, or when no provider in the registry finds its client in the settings.
func TestDemoMode(t *testing.T) {
	ini := filepath.Join(t.TempDir(), "config.ini")
	if err := os.WriteFile(ini, []byte("[Login Parameters]\nC_KEY = k\nC_SECRET = s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		args, env []string
		want      bool
	}{
		{"NoCredentials", nil, nil, true},
		{"ConsumerKey", nil, []string{"FITBIT_CONSUMER_KEY=k", "FITBIT_CONSUMER_SECRET=s"}, false},
		{"ConsumerKeyFromINI", nil, []string{"BODYSTATS_CONFIG=" + ini}, false},
		{"FitbitClient", nil, []string{"FITBIT_CLIENT_ID=k", "FITBIT_CLIENT_SECRET=s"}, false},
		{"GoogleClient", nil, []string{"GOOGLE_CLIENT_ID=k", "GOOGLE_CLIENT_SECRET=s"}, false},
		{"DemoFlagWithCredentials", []string{"-demo"}, []string{"GOOGLE_CLIENT_ID=k", "GOOGLE_CLIENT_SECRET=s"}, true},
		{"DemoEnvTrue", nil, []string{"BODYSTATS_DEMO=true", "FITBIT_CLIENT_ID=k", "FITBIT_CLIENT_SECRET=s"}, true},
		{"DemoEnvZero", nil, []string{"BODYSTATS_DEMO=0", "FITBIT_CLIENT_ID=k", "FITBIT_CLIENT_SECRET=s"}, false},
		{"DemoFlagFalseBeatsEnv", []string{"-demo=false"}, []string{"BODYSTATS_DEMO=1", "FITBIT_CLIENT_ID=k", "FITBIT_CLIENT_SECRET=s"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := config.Load(tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if got := demoMode(cfg); got != tt.want {
				t.Errorf("demoMode = %v, want %v", got, tt.want)
			}
		})
	}
}
