package config

import (
	"fmt"
	"strings"
	"testing"
)

// sample is a valid value of setting f as it would come from src, distinct per
// source so the test can tell which source won.
func sample(f *field, src string) string {
	switch f.kind {
	case kindAddr:
		return src + ".test:1"
	case kindBaseURL:
		return "http://" + src + ".test"
	case kindDir:
		return "./" + src + "-dir"
	case kindBool:
		// Each layer flips the value, so a layer that did not apply shows.
		if src == "env" {
			return "false"
		}
		return "true"
	case kindServiceURL, kindEndpointURL:
		return "http://" + src + ".test/" + f.key
	case kindCIDRs:
		return map[string]string{"ini": "10.0.0.0/8", "env": "10.1.0.0/16, ::1", "flag": "192.0.2.7"}[src]
	case kindKeep:
		return map[string]string{"ini": "2d", "env": "3d,1w", "flag": "4w"}[src]
	case kindInterval:
		// A distinct duration per layer.
		return map[string]string{"ini": "2h", "env": "3h", "flag": "4h"}[src]
	}
	return src + "-" + f.key + " #x;y" // inline-comment characters survive every source
}

// TestPrecedence checks, for every setting, that a flag beats the environment,
// which beats config.ini, which beats the default.
func TestPrecedence(t *testing.T) {
	sections := map[string]*strings.Builder{sectionLogin: {}, sectionApp: {}}
	var env, args []string
	for i := range fields {
		f := &fields[i]
		if f.section != "" {
			fmt.Fprintf(sections[f.section], "%s = %s\n", f.key, sample(f, "ini"))
		}
		if f.env != "" && f.kind != kindPath {
			env = append(env, f.env+"="+sample(f, "env"))
		}
		if f.flag != "" && f.kind != kindPath {
			args = append(args, "-"+f.flag+"="+sample(f, "flag"))
		}
	}
	ini := "[Login Parameters]\n" + sections[sectionLogin].String() + "[bodystats]\n" + sections[sectionApp].String()

	layers := []struct {
		name string
		in   input
	}{
		{"ini", input{ini: ini}},
		{"env", input{ini: ini, env: env}},
		{"flag", input{ini: ini, env: env, args: args}},
	}
	for _, layer := range layers {
		t.Run(layer.name, func(t *testing.T) {
			c := mustLoad(t, layer.in)
			for i := range fields {
				f := &fields[i]
				if f.kind == kindPath {
					continue
				}
				src := layer.name
				if (src == "flag" && f.flag == "") || (src == "env" && f.env == "") {
					src = "ini" // U_KEY and U_SECRET live only in config.ini
				}
				if got, want := f.get(&c), sample(f, src); got != want {
					t.Errorf("%s = %q, want %q", f.logName(), got, want)
				}
			}
		})
	}
}

func TestPrecedenceMixed(t *testing.T) {
	c := mustLoad(t, input{
		args: []string{"-addr", "flag.test:1"},
		env:  []string{"BODYSTATS_ADDR=env.test:1", "BODYSTATS_DATA_DIR=env-dir", "FITBIT_CONSUMER_SECRET=env-cs"},
		ini:  "[bodystats]\nBODYSTATS_ADDR = ini.test:1\nBODYSTATS_DATA_DIR = ini-dir\nFITBIT_API_URL = http://ini.test\n[Login Parameters]\nC_KEY = ini-ck\nC_SECRET = ini-cs\n",
	})
	tests := []struct{ name, got, want string }{
		{"Addr", c.Addr, "flag.test:1"},
		{"DataDir", c.DataDir, "env-dir"},
		{"FitbitAPIURL", c.FitbitAPIURL, "http://ini.test"},
		{"FitbitConsumerKey", c.FitbitConsumerKey, "ini-ck"},
		{"FitbitConsumerSecret", c.FitbitConsumerSecret, "env-cs"},
		{"FitbitWWWURL", c.FitbitWWWURL, "https://www.fitbit.com"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestEmptyEnvironmentIsUnset(t *testing.T) {
	c := mustLoad(t, input{
		env: []string{"BODYSTATS_ADDR=", "BODYSTATS_DATA_DIR="},
		ini: "[bodystats]\nBODYSTATS_ADDR = ini.test:1\n",
	})
	if got, want := c.Addr, "ini.test:1"; got != want {
		t.Errorf("Addr = %q, want %q", got, want)
	}
	if got, want := c.DataDir, "./data"; got != want {
		t.Errorf("DataDir = %q, want %q", got, want)
	}
}

func TestConfigFileChoice(t *testing.T) {
	t.Chdir(t.TempDir())
	write := func(name, addr string) {
		t.Helper()
		if err := writeFile(name, "[bodystats]\nBODYSTATS_ADDR = "+addr+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	write("config.ini", "default.test:1")
	write("env.ini", "env.test:1")
	write("flag.ini", "flag.test:1")
	tests := []struct {
		name     string
		args     []string
		env      []string
		wantAddr string
		wantFile string
	}{
		{"Default", nil, nil, "default.test:1", "config.ini"},
		{"Env", nil, []string{"BODYSTATS_CONFIG=env.ini"}, "env.test:1", "env.ini"},
		{"FlagBeatsEnv", []string{"-config", "flag.ini"}, []string{"BODYSTATS_CONFIG=env.ini"}, "flag.test:1", "flag.ini"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := Load(tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if c.Addr != tt.wantAddr {
				t.Errorf("Addr = %q, want %q", c.Addr, tt.wantAddr)
			}
			if c.ConfigFile != tt.wantFile {
				t.Errorf("ConfigFile = %q, want %q", c.ConfigFile, tt.wantFile)
			}
		})
	}
}
