package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseKeep(t *testing.T) {
	tests := []struct {
		in            string
		daily, weekly int
		ok            bool
	}{
		{"7d,4w", 7, 4, true},
		{"4w 7d", 7, 4, true},
		{"30d", 30, 0, true},
		{"12w", 0, 12, true},
		{"0d,2w", 0, 2, true},
		{"", 0, 0, false},
		{"0d", 0, 0, false},
		{"7", 0, 0, false},
		{"d", 0, 0, false},
		{"7d,3d", 0, 0, false},
		{"-1d", 0, 0, false},
		{"7m", 0, 0, false},
		{"seven d", 0, 0, false},
	}
	for _, tt := range tests {
		d, w, ok := parseKeep(tt.in)
		if d != tt.daily || w != tt.weekly || ok != tt.ok {
			t.Errorf("parseKeep(%q) = %d, %d, %v; want %d, %d, %v", tt.in, d, w, ok, tt.daily, tt.weekly, tt.ok)
		}
	}
}

func TestBackupSettings(t *testing.T) {
	tests := []struct {
		name          string
		args, env     []string
		every         time.Duration
		daily, weekly int
		wantErr       string
	}{
		{"Defaults", nil, nil, 24 * time.Hour, 7, 4, ""},
		{"Env", nil, []string{"BODYSTATS_BACKUP_INTERVAL=6h", "BODYSTATS_BACKUP_KEEP=14d"}, 6 * time.Hour, 14, 0, ""},
		{"FlagWins", []string{"-backup-interval", "0"}, []string{"BODYSTATS_BACKUP_INTERVAL=6h"}, 0, 7, 4, ""},
		{"TooOften", nil, []string{"BODYSTATS_BACKUP_INTERVAL=10s"}, 0, 0, 0, "BODYSTATS_BACKUP_INTERVAL"},
		{"BadKeep", nil, []string{"BODYSTATS_BACKUP_KEEP=forever"}, 0, 0, 0, "BODYSTATS_BACKUP_KEEP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := load(t, input{args: tt.args, env: tt.env})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, w := cfg.BackupRetention()
			if cfg.BackupEvery() != tt.every || d != tt.daily || w != tt.weekly {
				t.Errorf("every %v, keep %d/%d; want %v, %d/%d", cfg.BackupEvery(), d, w, tt.every, tt.daily, tt.weekly)
			}
		})
	}
}
