package config

import (
	"strings"
	"testing"
)

// secret is put into inputs wherever a secret could be; no error may repeat it.
const secret = "s3cr3t-value"

func TestLoadErrors(t *testing.T) {
	login := "[Login Parameters]\nC_KEY = ck\nC_SECRET = " + secret + "\n"
	tests := []struct {
		name string
		in   input
		want string
	}{
		// Command line.
		{"UnknownFlag", input{args: []string{"-adr", ":1"}}, "config: command line: unknown flag -adr (run with -help to list them)"},
		{"UnknownFlagWithSecret", input{args: []string{"-fitbit-consumer-secrt=" + secret}}, "config: command line: unknown flag -fitbit-consumer-secrt (run with -help to list them)"},
		{"FlagNeedsValue", input{args: []string{"-addr"}}, "config: command line: flag -addr needs a value"},
		{"BadFlagSyntax", input{args: []string{"-=" + secret}}, "config: command line: an argument starting with - is not a flag (write flags as -name or -name=value)"},

		// Environment.
		{"UnknownEnv", input{env: []string{"BODYSTATS_ADRESS=:1"}}, "config: environment: unknown variable BODYSTATS_ADRESS (known: BODYSTATS_ADDR, BODYSTATS_ALLOWED_HOSTS, BODYSTATS_BACKUP_INTERVAL, BODYSTATS_BACKUP_KEEP, BODYSTATS_BASE_URL, BODYSTATS_CONFIG, BODYSTATS_DATA_DIR, BODYSTATS_DEMO, BODYSTATS_SESSION_IDLE, BODYSTATS_SYNC_INTERVAL, BODYSTATS_TRUSTED_PROXIES)"},
		{"UnknownEnvWithSecret", input{env: []string{"BODYSTATS_SECRET=" + secret}}, "config: environment: unknown variable BODYSTATS_SECRET (known: BODYSTATS_ADDR, BODYSTATS_ALLOWED_HOSTS, BODYSTATS_BACKUP_INTERVAL, BODYSTATS_BACKUP_KEEP, BODYSTATS_BASE_URL, BODYSTATS_CONFIG, BODYSTATS_DATA_DIR, BODYSTATS_DEMO, BODYSTATS_SESSION_IDLE, BODYSTATS_SYNC_INTERVAL, BODYSTATS_TRUSTED_PROXIES)"},

		// Addr.
		{"AddrNoPort", input{env: []string{"BODYSTATS_ADDR=localhost"}}, "config: environment: BODYSTATS_ADDR is not a host:port listen address (missing port in address)"},
		{"AddrTooManyColons", input{args: []string{"-addr", "a:b:c"}}, "config: command line: -addr is not a host:port listen address (too many colons in address)"},
		{"AddrEmptyFlag", input{args: []string{"-addr="}}, "config: command line: -addr is not a host:port listen address (missing port in address)"},
		{"AddrFromINI", input{ini: "[bodystats]\nBODYSTATS_ADDR = 8080\n"}, "config: config.ini [bodystats]: BODYSTATS_ADDR is not a host:port listen address (missing port in address)"},

		// Trusted proxies and the session's idle time.
		{"TrustedProxiesNotCIDR", input{env: []string{"BODYSTATS_TRUSTED_PROXIES=10.0.0.0/8, caddy"}}, "config: environment: BODYSTATS_TRUSTED_PROXIES entry 2 is not an IP address or CIDR such as 10.0.0.0/8"},
		{"TrustedProxiesBadMask", input{args: []string{"-trusted-proxies", "10.0.0.0/33"}}, "config: command line: -trusted-proxies entry 1 is not an IP address or CIDR such as 10.0.0.0/8"},
		{"SessionIdleNotDuration", input{env: []string{"BODYSTATS_SESSION_IDLE=30d"}}, "config: environment: BODYSTATS_SESSION_IDLE must be a duration of at least 1m, like 30m or 6h, or 0 to turn it off"},

		// BaseURL.
		{"BaseURLScheme", input{env: []string{"BODYSTATS_BASE_URL=ftp://example.com"}}, "config: environment: BODYSTATS_BASE_URL must be an absolute http:// or https:// URL"},
		{"BaseURLNoScheme", input{env: []string{"BODYSTATS_BASE_URL=localhost:8080"}}, "config: environment: BODYSTATS_BASE_URL must be an absolute http:// or https:// URL"},
		{"BaseURLRelative", input{args: []string{"-base-url", "/app"}}, "config: command line: -base-url must be an absolute http:// or https:// URL"},
		{"BaseURLNoHost", input{args: []string{"-base-url", "http://"}}, "config: command line: -base-url must name a host (http://host:port)"},
		{"BaseURLPath", input{args: []string{"-base-url", "http://example.com/app"}}, "config: command line: -base-url must not have a path (the app is served from /)"},
		{"BaseURLQuery", input{args: []string{"-base-url", "http://example.com/?a=1"}}, "config: command line: -base-url must not have a query or fragment"},
		{"BaseURLEmptyQuery", input{args: []string{"-base-url", "http://example.com?"}}, "config: command line: -base-url must not have a query or fragment"},
		{"BaseURLFragment", input{ini: "[bodystats]\nBODYSTATS_BASE_URL = http://example.com/#top\n"}, "config: config.ini [bodystats]: BODYSTATS_BASE_URL must not have a query or fragment"},
		{"BaseURLUserinfo", input{env: []string{"BODYSTATS_BASE_URL=http://me:" + secret + "@example.com"}}, "config: environment: BODYSTATS_BASE_URL must not contain a user name or password"},
		{"BaseURLUnparsable", input{env: []string{"BODYSTATS_BASE_URL=http://ex ample.com/" + secret}}, "config: environment: BODYSTATS_BASE_URL is not a valid URL"},

		// Provider URLs.
		{"APIURLNoScheme", input{env: []string{"FITBIT_API_URL=api.fitbit.com"}}, "config: environment: FITBIT_API_URL must be an absolute http:// or https:// URL"},
		{"APIURLQuery", input{args: []string{"-fitbit-api-url", "http://127.0.0.1:1/?x=1"}}, "config: command line: -fitbit-api-url must not have a query (paths are appended to it)"},
		{"WWWURLNoHost", input{args: []string{"-fitbit-www-url", "https:///oauth"}}, "config: command line: -fitbit-www-url must name a host (http://host:port)"},
		{"AuthURLFragment", input{env: []string{"GOOGLE_AUTH_URL=https://accounts.google.com/auth#x"}}, "config: environment: GOOGLE_AUTH_URL must not have a fragment"},
		{"TokenURLFromINI", input{ini: "[bodystats]\nGOOGLE_TOKEN_URL = not a url\n"}, "config: config.ini [bodystats]: GOOGLE_TOKEN_URL must be an absolute http:// or https:// URL"},
		{"HealthURLUserinfo", input{args: []string{"-google-health-api-url=https://u:" + secret + "@h.test"}}, "config: command line: -google-health-api-url must not contain a user name or password"},

		// Half a credential.
		{"ConsumerKeyOnlyEnv", input{env: []string{"FITBIT_CONSUMER_KEY=ck"}}, "config: environment: FITBIT_CONSUMER_KEY is set but FITBIT_CONSUMER_SECRET is not"},
		{"ConsumerSecretOnlyFlag", input{args: []string{"-fitbit-consumer-secret", secret}}, "config: command line: -fitbit-consumer-secret is set but -fitbit-consumer-key is not"},
		{"ConsumerKeyOnlyINI", input{ini: "[Login Parameters]\nC_KEY = ck\n"}, "config: config.ini [Login Parameters]: C_KEY is set but C_SECRET is not"},
		{"UserKeyOnly", input{ini: login + "U_KEY = uk\n"}, "config: config.ini [Login Parameters]: U_KEY is set but U_SECRET is not"},
		{"UserSecretOnly", input{ini: login + "U_SECRET = " + secret + "\n"}, "config: config.ini [Login Parameters]: U_SECRET is set but U_KEY is not"},
		{"UserTokenWithoutConsumer", input{ini: "[Login Parameters]\nU_KEY = uk\nU_SECRET = " + secret + "\n"}, "config: config.ini [Login Parameters]: U_KEY is set but no consumer key is (C_KEY, FITBIT_CONSUMER_KEY or -fitbit-consumer-key)"},
		{"FitbitClientIDOnly", input{env: []string{"FITBIT_CLIENT_ID=id"}}, "config: environment: FITBIT_CLIENT_ID is set but FITBIT_CLIENT_SECRET is not"},
		{"FitbitClientSecretOnly", input{args: []string{"-fitbit-client-secret=" + secret}}, "config: command line: -fitbit-client-secret is set but -fitbit-client-id is not"},
		{"GoogleClientIDOnly", input{args: []string{"-google-client-id", "id"}}, "config: command line: -google-client-id is set but -google-client-secret is not"},
		{"GoogleClientSecretOnlyINI", input{ini: "[bodystats]\nGOOGLE_CLIENT_SECRET = " + secret + "\n"}, "config: config.ini [bodystats]: GOOGLE_CLIENT_SECRET is set but GOOGLE_CLIENT_ID is not"},
		{"EmptyFlagSecret", input{args: []string{"-fitbit-client-id=id", "-fitbit-client-secret="}}, "config: command line: -fitbit-client-id is set but -fitbit-client-secret is not"},

		// Demo.
		{"DemoEnvYes", input{env: []string{"BODYSTATS_DEMO=yes"}}, "config: environment: BODYSTATS_DEMO must be 1, true, 0 or false"},
		{"DemoFlagBad", input{args: []string{"-demo=maybe"}}, "config: command line: -demo must be 1, true, 0 or false"},
		{"DemoINIOn", input{ini: "[bodystats]\nBODYSTATS_DEMO = on\n"}, "config: config.ini [bodystats]: BODYSTATS_DEMO must be 1, true, 0 or false"},

		// DataDir and the config file.
		{"EmptyDataDir", input{args: []string{"-data-dir="}}, "config: command line: -data-dir is empty"},
		{"MissingNamedConfigFlag", input{args: []string{"-config", "nope.ini"}}, "config: command line: -config names a config file that does not exist"},
		{"MissingNamedConfigEnv", input{env: []string{"BODYSTATS_CONFIG=nope.ini"}}, "config: environment: BODYSTATS_CONFIG names a config file that does not exist"},
		{"EmptyConfigFlag", input{args: []string{"-config="}}, "config: command line: -config is empty"},

		// config.ini structure.
		{"UnknownSection", input{ini: "[Other]\nX = 1\n"}, "config: config.ini: unknown section [Other] (known: [Login Parameters], [bodystats])"},
		{"UnknownLoginKey", input{ini: "[Login Parameters]\nUSER_ID = " + secret + "\n"}, "config: config.ini [Login Parameters]: unknown key USER_ID"},
		{"UnknownAppKey", input{ini: "[bodystats]\nBODYSTATS_PORT = 1\n"}, "config: config.ini [bodystats]: unknown key BODYSTATS_PORT"},
		{"ConsumerKeyInAppSection", input{ini: "[bodystats]\nFITBIT_CONSUMER_KEY = ck\n"}, "config: config.ini [bodystats]: unknown key FITBIT_CONSUMER_KEY (it belongs in [Login Parameters] as C_KEY)"},
		{"UserKeyInAppSection", input{ini: "[bodystats]\nU_KEY = uk\n"}, "config: config.ini [bodystats]: unknown key U_KEY (it belongs in [Login Parameters] as U_KEY)"},
		{"ClientIDInLoginSection", input{ini: "[Login Parameters]\nfitbit_client_id = id\n"}, "config: config.ini [Login Parameters]: unknown key FITBIT_CLIENT_ID (it belongs in [bodystats] as FITBIT_CLIENT_ID)"},
		{"ConfigInINI", input{ini: "[bodystats]\nBODYSTATS_CONFIG = other.ini\n"}, "config: config.ini [bodystats]: unknown key BODYSTATS_CONFIG (it can be set only by flag or environment)"},
		{"KeyBeforeSection", input{ini: "c_key = ck\n[Login Parameters]\n"}, "config: config.ini: key C_KEY comes before any [section]"},
		{"DefaultSection", input{ini: "[DEFAULT]\nC_SECRET = " + secret + "\n"}, "config: config.ini: key C_SECRET comes before any [section]"},
		{"DuplicateKey", input{ini: login + "C_SECRET = " + secret + "2\n"}, "config: config.ini [Login Parameters]: key C_SECRET appears more than once"},
		{"DuplicateKeyCase", input{ini: login + "c_secret = " + secret + "2\n"}, "config: config.ini [Login Parameters]: key C_SECRET appears more than once"},
		{"DuplicateSection", input{ini: "[bodystats]\nBODYSTATS_ADDR = :1\n[Bodystats]\nBODYSTATS_DATA_DIR = d\n"}, "config: config.ini: section [bodystats] appears more than once"},
		{"NoDelimiter", input{ini: "[Login Parameters]\nC_KEY = ck\nC_SECRET " + secret + "\n"}, "config: config.ini: line 3 is neither a [section] nor a key = value pair"},
		{"UnclosedSection", input{ini: "[Login Parameters\nC_SECRET = " + secret + "\n"}, "config: config.ini: cannot parse the file as ini (check for an unclosed [section] or quote)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rest, err := load(t, tt.in)
			if err == nil {
				t.Fatalf("got nil error and %v %q, want %q", c, rest, tt.want)
			}
			got := err.Error()
			if got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
			if strings.Contains(got, secret) {
				t.Errorf("error %q repeats the secret", got)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("error %q spans lines", got)
			}
		})
	}
}
