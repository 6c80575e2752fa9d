package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// input is one run's command line, environment and config.ini.
type input struct {
	args []string
	env  []string
	ini  string // written to config.ini in a fresh working directory when not ""
}

func load(t *testing.T, in input) (Config, []string, error) {
	t.Helper()
	t.Chdir(t.TempDir())
	if in.ini != "" {
		if err := os.WriteFile("config.ini", []byte(in.ini), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return Load(in.args, in.env)
}

func mustLoad(t *testing.T, in input) Config {
	t.Helper()
	c, _, err := load(t, in)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

var defaults = Config{
	Addr:               "localhost:8080",
	BaseURL:            "http://localhost:8080",
	DataDir:            "./data",
	SyncInterval:       "6h",
	SessionIdle:        "720h",
	BackupInterval:     "24h",
	BackupKeep:         "7d,4w",
	ConfigFile:         "config.ini",
	FitbitAPIURL:       "https://api.fitbit.com",
	FitbitWWWURL:       "https://www.fitbit.com",
	GoogleAuthURL:      "https://accounts.google.com/o/oauth2/v2/auth",
	GoogleTokenURL:     "https://oauth2.googleapis.com/token",
	GoogleHealthAPIURL: "https://health.googleapis.com",
	IHealthAPIURL:      "https://api.ihealthlabs.com:8443",
}

func TestLoadDefaults(t *testing.T) {
	c, rest, err := load(t, input{env: []string{"HOME=/root", "PATH=/bin", "FITBIT_SOMETHING_ELSE=x"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(defaults, c); diff != "" {
		t.Errorf("Config (-want +got):\n%s", diff)
	}
	if len(rest) != 0 {
		t.Errorf("rest = %q, want none", rest)
	}
	if got, want := c.CallbackURL(), "http://localhost:8080/callback"; got != want {
		t.Errorf("CallbackURL() = %q, want %q", got, want)
	}
}

// TestLoadContractEnvironment sets every variable of CONTRACT.md by name.
func TestLoadContractEnvironment(t *testing.T) {
	c := mustLoad(t, input{env: []string{
		"BODYSTATS_ADDR=127.0.0.1:9000",
		"BODYSTATS_BASE_URL=https://stats.example.com/",
		"BODYSTATS_DATA_DIR=/var/lib/bodystats",
		"BODYSTATS_DEMO=1",
		"FITBIT_CONSUMER_KEY=ck",
		"FITBIT_CONSUMER_SECRET=cs",
		"FITBIT_CLIENT_ID=fid",
		"FITBIT_CLIENT_SECRET=fsec",
		"GOOGLE_CLIENT_ID=gid",
		"GOOGLE_CLIENT_SECRET=gsec",
		"FITBIT_API_URL=http://127.0.0.1:7000/",
		"FITBIT_WWW_URL=http://127.0.0.1:7000/www",
		"GOOGLE_AUTH_URL=http://127.0.0.1:7000/o/oauth2/v2/auth",
		"GOOGLE_TOKEN_URL=http://127.0.0.1:7000/token",
		"GOOGLE_HEALTH_API_URL=http://127.0.0.1:7000/health/",
		"IHEALTH_CLIENT_ID=iid", "IHEALTH_CLIENT_SECRET=isec", "IHEALTH_SC=isc", "IHEALTH_SV=isv",
		"IHEALTH_API_URL=http://127.0.0.1:7000/ih/",
		"BODYSTATS_TRUSTED_PROXIES=127.0.0.1/32,172.16.0.0/12",
	}})
	want := Config{
		Addr:                 "127.0.0.1:9000",
		BaseURL:              "https://stats.example.com",
		BaseURLSet:           true,
		DataDir:              "/var/lib/bodystats",
		Demo:                 true,
		SyncInterval:         "6h",
		SessionIdle:          "720h",
		TrustedProxies:       "127.0.0.1/32,172.16.0.0/12",
		BackupInterval:       "24h",
		BackupKeep:           "7d,4w",
		ConfigFile:           "config.ini",
		FitbitConsumerKey:    "ck",
		FitbitConsumerSecret: "cs",
		FitbitClientID:       "fid",
		FitbitClientSecret:   "fsec",
		GoogleClientID:       "gid",
		GoogleClientSecret:   "gsec",
		FitbitAPIURL:         "http://127.0.0.1:7000",
		FitbitWWWURL:         "http://127.0.0.1:7000/www",
		GoogleAuthURL:        "http://127.0.0.1:7000/o/oauth2/v2/auth",
		GoogleTokenURL:       "http://127.0.0.1:7000/token",
		GoogleHealthAPIURL:   "http://127.0.0.1:7000/health",
		IHealthClientID:      "iid",
		IHealthClientSecret:  "isec",
		IHealthSC:            "isc",
		IHealthSV:            "isv",
		IHealthAPIURL:        "http://127.0.0.1:7000/ih",
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Config (-want +got):\n%s", diff)
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name    string
		in      input
		want    string
		wantSet bool
	}{
		{"Loopback", input{args: []string{"-addr", "127.0.0.1:9000"}}, "http://127.0.0.1:9000", false},
		{"EmptyHost", input{args: []string{"-addr", ":8080"}}, "http://localhost:8080", false},
		{"WildcardV4", input{args: []string{"-addr", "0.0.0.0:8080"}}, "http://localhost:8080", false},
		{"WildcardV6", input{args: []string{"-addr", "[::]:8080"}}, "http://localhost:8080", false},
		{"LoopbackV6", input{args: []string{"-addr", "[::1]:8080"}}, "http://[::1]:8080", false},
		{"PortZero", input{args: []string{"-addr", "localhost:0"}}, "http://localhost:0", false},
		{"FromFlag", input{args: []string{"-addr", ":0", "-base-url", "https://stats.example.com/"}}, "https://stats.example.com", true},
		{"FromEnv", input{env: []string{"BODYSTATS_BASE_URL=http://box.lan:8080"}}, "http://box.lan:8080", true},
		{"FromINI", input{ini: "[bodystats]\nBODYSTATS_BASE_URL = http://box.lan:9000/\n"}, "http://box.lan:9000", true},
		{"EmptyEnvIsUnset", input{env: []string{"BODYSTATS_BASE_URL="}}, "http://localhost:8080", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustLoad(t, tt.in)
			if c.BaseURL != tt.want {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL, tt.want)
			}
			if c.BaseURLSet != tt.wantSet {
				t.Errorf("BaseURLSet = %v, want %v", c.BaseURLSet, tt.wantSet)
			}
			if got, want := c.CallbackURL(), tt.want+"/callback"; got != want {
				t.Errorf("CallbackURL() = %q, want %q", got, want)
			}
		})
	}
}

func TestBaseURLFromAddr(t *testing.T) {
	got, err := BaseURLFromAddr("127.0.0.1:41234")
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://127.0.0.1:41234"; got != want {
		t.Errorf("BaseURLFromAddr = %q, want %q", got, want)
	}
	if _, err := BaseURLFromAddr("no-port"); err == nil {
		t.Error("BaseURLFromAddr(no-port): got nil error, want one")
	}
}

func TestPositionalArgs(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantRest []string
		wantAddr string
		wantDemo bool
	}{
		{"None", nil, nil, "localhost:8080", false},
		{"Import", []string{"-addr", ":9000", "import", "./export.zip", "--unit", "lb"}, []string{"import", "./export.zip", "--unit", "lb"}, ":9000", false},
		{"SubcommandFlagsUntouched", []string{"-demo", "import", "-demo", "-addr", "x"}, []string{"import", "-demo", "-addr", "x"}, "localhost:8080", true},
		{"Export", []string{"export"}, []string{"export"}, "localhost:8080", false},
		{"DoubleDash", []string{"-addr=:1", "--", "-odd-name"}, []string{"-odd-name"}, ":1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rest, err := load(t, input{args: tt.args})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantRest, rest); diff != "" {
				t.Errorf("rest (-want +got):\n%s", diff)
			}
			if c.Addr != tt.wantAddr {
				t.Errorf("Addr = %q, want %q", c.Addr, tt.wantAddr)
			}
			if c.Demo != tt.wantDemo {
				t.Errorf("Demo = %v, want %v", c.Demo, tt.wantDemo)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		_, _, err := load(t, input{args: []string{arg}})
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("Load(%s) error = %v, want flag.ErrHelp", arg, err)
		}
	}
}

func TestUsage(t *testing.T) {
	var buf bytes.Buffer
	Usage(&buf)
	out := buf.String()
	want := []string{
		"-addr", "-base-url", "-data-dir", "-demo", "-config",
		"-fitbit-consumer-key", "-fitbit-consumer-secret", "-fitbit-client-id", "-fitbit-client-secret",
		"-google-client-id", "-google-client-secret", "-fitbit-api-url", "-fitbit-www-url",
		"-google-auth-url", "-google-token-url", "-google-health-api-url",
		"BODYSTATS_ADDR", "BODYSTATS_BASE_URL", "BODYSTATS_DATA_DIR", "BODYSTATS_DEMO", "BODYSTATS_CONFIG",
		"FITBIT_CONSUMER_KEY", "FITBIT_CONSUMER_SECRET", "FITBIT_CLIENT_ID", "FITBIT_CLIENT_SECRET",
		"GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "FITBIT_API_URL", "FITBIT_WWW_URL",
		"GOOGLE_AUTH_URL", "GOOGLE_TOKEN_URL", "GOOGLE_HEALTH_API_URL",
		"C_KEY", "C_SECRET", "U_KEY", "U_SECRET", "[Login Parameters]", "[bodystats]",
		`"localhost:8080"`, `"./data"`, `"config.ini"`, `"https://api.fitbit.com"`, `"https://www.fitbit.com"`,
		`"https://accounts.google.com/o/oauth2/v2/auth"`, `"https://oauth2.googleapis.com/token"`,
		`"https://health.googleapis.com"`,
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("Usage output lacks %q", w)
		}
	}
}

// TestConfigRedacted guards against a Config reaching a log line whole.
func TestConfigRedacted(t *testing.T) {
	c := mustLoad(t, input{
		env: []string{"FITBIT_CLIENT_ID=fid", "FITBIT_CLIENT_SECRET=" + secret + "1", "GOOGLE_CLIENT_ID=gid", "GOOGLE_CLIENT_SECRET=" + secret + "2"},
		ini: "[Login Parameters]\nC_KEY = ck\nC_SECRET = " + secret + "3\nU_KEY = " + secret + "4\nU_SECRET = " + secret + "5\n",
	})
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, c))
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("start", "config", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("start", "config", c)
	outs = append(outs, buf.String())
	for _, out := range outs {
		if strings.Contains(out, secret) {
			t.Errorf("output reveals a secret: %s", out)
		}
		if !strings.Contains(out, "fid") || !strings.Contains(out, "[redacted]") {
			t.Errorf("output lacks the client id or a redaction marker: %s", out)
		}
	}
}
