package config

import "strings"

// kind says how a setting's text is checked and normalised.
type kind int

const (
	kindText        kind = iota // free text: keys, ids, secrets
	kindAddr                    // host:port
	kindBaseURL                 // the app's public URL: scheme and host only
	kindDir                     // a directory path, never empty
	kindBool                    // 1/true/0/false
	kindPath                    // the config file itself
	kindServiceURL              // a provider host that paths are appended to
	kindEndpointURL             // a full provider endpoint
	kindInterval                // a Go duration of at least a minute, or 0 for never
	kindCIDRs                   // comma-separated IP addresses or CIDRs
	kindKeep                    // a retention: Nd and/or Mw, e.g. "7d,4w"
)

const (
	sectionLogin = "Login Parameters" // the seed's section, read by Python's configparser in 2013
	sectionApp   = "bodystats"
)

// field describes one setting and every place it can come from. The table
// drives parsing, validation, error messages and Usage, so a new setting is
// one entry here plus one Config field.
type field struct {
	flag    string // without the dash; "" when there is none
	env     string // "" when there is none
	section string // config.ini section; "" when the file cannot set it
	key     string // config.ini key (upper case)
	def     string
	kind    kind
	secret  bool
	help    string
	ptr     func(*Config) *string // nil for Demo, the one non-string field
}

func (f *field) get(c *Config) string {
	if f.ptr == nil {
		if c.Demo {
			return "true"
		}
		return "false"
	}
	return *f.ptr(c)
}

func (f *field) set(c *Config, v string) {
	if f.ptr == nil {
		c.Demo, _ = parseBool(v)
		return
	}
	*f.ptr(c) = v
}

// logName is the snake_case name used when a Config is logged.
func (f *field) logName() string {
	if f.flag != "" {
		return strings.ReplaceAll(f.flag, "-", "_")
	}
	return "fitbit_" + strings.ToLower(f.key) // U_KEY, U_SECRET
}

// nameIn is how the setting is spelled in one kind of source, so a message
// about a pair can name the missing half the way the user wrote the other.
func (f *field) nameIn(o origin) string {
	switch o {
	case fromFlag:
		if f.flag != "" {
			return "-" + f.flag
		}
	case fromEnv:
		if f.env != "" {
			return f.env
		}
	case fromINI:
		if f.section != "" {
			return f.key
		}
	}
	// The other half has no name in this source; name it where it can be set.
	switch {
	case f.env != "":
		return f.env
	case f.section != "":
		return f.key
	}
	return "-" + f.flag
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "true":
		return true, true
	case "", "0", "false":
		return false, true
	}
	return false, false
}

var fields = []field{
	{flag: "addr", env: "BODYSTATS_ADDR", section: sectionApp, def: "localhost:8080", kind: kindAddr,
		help: "listen address, host:port", ptr: func(c *Config) *string { return &c.Addr }},
	{flag: "base-url", env: "BODYSTATS_BASE_URL", section: sectionApp, kind: kindBaseURL,
		help: "public URL; the OAuth callback is BASE_URL/callback (default http:// + addr, with localhost for an empty or wildcard host)",
		ptr:  func(c *Config) *string { return &c.BaseURL }},
	{flag: "data-dir", env: "BODYSTATS_DATA_DIR", section: sectionApp, def: "./data", kind: kindDir,
		help: "directory for bodystats.db and the secret key file", ptr: func(c *Config) *string { return &c.DataDir }},
	{flag: "demo", env: "BODYSTATS_DEMO", section: sectionApp, kind: kindBool,
		help: "demo mode: the built-in Fitbit emulator is the provider even when credentials are set"},
	{flag: "allowed-hosts", env: "BODYSTATS_ALLOWED_HOSTS", section: sectionApp,
		help: "comma-separated host names the app answers to, besides localhost, 127.0.0.1, ::1 and BASE_URL's host (DNS-rebinding protection)",
		ptr:  func(c *Config) *string { return &c.AllowedHosts }},
	{flag: "sync-interval", env: "BODYSTATS_SYNC_INTERVAL", section: sectionApp, def: "6h", kind: kindInterval,
		help: "how often connected accounts sync while the app runs, e.g. 30m or 6h; 0 turns it off",
		ptr:  func(c *Config) *string { return &c.SyncInterval }},
	{flag: "trusted-proxies", env: "BODYSTATS_TRUSTED_PROXIES", section: sectionApp, kind: kindCIDRs,
		help: "comma-separated CIDRs of reverse proxies whose X-Forwarded-For, -Proto and -Host are believed, e.g. 127.0.0.1/32 or 172.16.0.0/12",
		ptr:  func(c *Config) *string { return &c.TrustedProxies }},
	{flag: "session-idle", env: "BODYSTATS_SESSION_IDLE", section: sectionApp, def: "720h", kind: kindInterval,
		help: "a signed-in browser unused this long must sign in again (sessions end after 90 days in any case); 0: only the 90 days",
		ptr:  func(c *Config) *string { return &c.SessionIdle }},
	{flag: "backup-interval", env: "BODYSTATS_BACKUP_INTERVAL", section: sectionApp, def: "24h", kind: kindInterval,
		help: "how often the running app writes a backup into DATA_DIR/backups, e.g. 12h or 24h; 0 turns scheduled backups off",
		ptr:  func(c *Config) *string { return &c.BackupInterval }},
	{flag: "backup-keep", env: "BODYSTATS_BACKUP_KEEP", section: sectionApp, def: "7d,4w", kind: kindKeep,
		help: "which scheduled backups stay: the newest of each of the last N days (Nd) and M weeks (Mw), e.g. 7d,4w or 30d",
		ptr:  func(c *Config) *string { return &c.BackupKeep }},
	{flag: "config", env: "BODYSTATS_CONFIG", def: "config.ini", kind: kindPath,
		help: "config file; a missing default file is fine, a missing named one is an error",
		ptr:  func(c *Config) *string { return &c.ConfigFile }},

	{flag: "fitbit-consumer-key", env: "FITBIT_CONSUMER_KEY", section: sectionLogin, key: "C_KEY",
		help: "Fitbit OAuth 1.0a consumer key", ptr: func(c *Config) *string { return &c.FitbitConsumerKey }},
	{flag: "fitbit-consumer-secret", env: "FITBIT_CONSUMER_SECRET", section: sectionLogin, key: "C_SECRET", secret: true,
		help: "Fitbit OAuth 1.0a consumer secret", ptr: func(c *Config) *string { return &c.FitbitConsumerSecret }},
	{section: sectionLogin, key: "U_KEY", secret: true,
		help: "OAuth 1.0a access token saved by hand", ptr: func(c *Config) *string { return &c.FitbitUserKey }},
	{section: sectionLogin, key: "U_SECRET", secret: true,
		help: "OAuth 1.0a access token secret saved by hand", ptr: func(c *Config) *string { return &c.FitbitUserSecret }},
	{flag: "fitbit-client-id", env: "FITBIT_CLIENT_ID", section: sectionApp,
		help: "Fitbit Web API OAuth 2.0 client id", ptr: func(c *Config) *string { return &c.FitbitClientID }},
	{flag: "fitbit-client-secret", env: "FITBIT_CLIENT_SECRET", section: sectionApp, secret: true,
		help: "Fitbit Web API OAuth 2.0 client secret", ptr: func(c *Config) *string { return &c.FitbitClientSecret }},
	{flag: "google-client-id", env: "GOOGLE_CLIENT_ID", section: sectionApp,
		help: "Google Health API OAuth 2.0 client id", ptr: func(c *Config) *string { return &c.GoogleClientID }},
	{flag: "google-client-secret", env: "GOOGLE_CLIENT_SECRET", section: sectionApp, secret: true,
		help: "Google Health API OAuth 2.0 client secret", ptr: func(c *Config) *string { return &c.GoogleClientSecret }},

	{flag: "fitbit-api-url", env: "FITBIT_API_URL", section: sectionApp, def: "https://api.fitbit.com", kind: kindServiceURL,
		help: "Fitbit API host", ptr: func(c *Config) *string { return &c.FitbitAPIURL }},
	{flag: "fitbit-www-url", env: "FITBIT_WWW_URL", section: sectionApp, def: "https://www.fitbit.com", kind: kindServiceURL,
		help: "Fitbit consent pages host", ptr: func(c *Config) *string { return &c.FitbitWWWURL }},
	{flag: "google-auth-url", env: "GOOGLE_AUTH_URL", section: sectionApp, def: "https://accounts.google.com/o/oauth2/v2/auth", kind: kindEndpointURL,
		help: "Google consent page", ptr: func(c *Config) *string { return &c.GoogleAuthURL }},
	{flag: "google-token-url", env: "GOOGLE_TOKEN_URL", section: sectionApp, def: "https://oauth2.googleapis.com/token", kind: kindEndpointURL,
		help: "Google token endpoint", ptr: func(c *Config) *string { return &c.GoogleTokenURL }},
	{flag: "google-health-api-url", env: "GOOGLE_HEALTH_API_URL", section: sectionApp, def: "https://health.googleapis.com", kind: kindServiceURL,
		help: "Google Health API host", ptr: func(c *Config) *string { return &c.GoogleHealthAPIURL }},

	{flag: "ihealth-client-id", env: "IHEALTH_CLIENT_ID", section: sectionApp,
		help: "iHealth Open API client id", ptr: func(c *Config) *string { return &c.IHealthClientID }},
	{flag: "ihealth-client-secret", env: "IHEALTH_CLIENT_SECRET", section: sectionApp, secret: true,
		help: "iHealth Open API client secret", ptr: func(c *Config) *string { return &c.IHealthClientSecret }},
	{flag: "ihealth-sc", env: "IHEALTH_SC", section: sectionApp, secret: true,
		help: "serial code (sc) of the iHealth app", ptr: func(c *Config) *string { return &c.IHealthSC }},
	{flag: "ihealth-sv", env: "IHEALTH_SV", section: sectionApp, secret: true,
		help: "serial value (sv) iHealth issued for the app's weight API", ptr: func(c *Config) *string { return &c.IHealthSV }},
	{flag: "ihealth-api-url", env: "IHEALTH_API_URL", section: sectionApp, def: "https://api.ihealthlabs.com:8443", kind: kindServiceURL,
		help: "iHealth Open API host (consent, tokens and data)", ptr: func(c *Config) *string { return &c.IHealthAPIURL }},
}

// pairs are settings that mean nothing alone; the first is the one a user
// would call "the key".
var pairs = [][2]string{
	{"FITBIT_CONSUMER_KEY", "FITBIT_CONSUMER_SECRET"},
	{"U_KEY", "U_SECRET"},
	{"FITBIT_CLIENT_ID", "FITBIT_CLIENT_SECRET"},
	{"GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"},
	{"IHEALTH_CLIENT_ID", "IHEALTH_CLIENT_SECRET"},
	{"IHEALTH_SC", "IHEALTH_SV"},
}

func init() {
	// In [bodystats] a setting's key is its environment variable's name.
	for i := range fields {
		if fields[i].section == sectionApp {
			fields[i].key = fields[i].env
		}
	}
}

// lookup finds a field by its environment variable or its config.ini key.
func lookup(id string) *field {
	for i := range fields {
		if fields[i].env == id || fields[i].key == id {
			return &fields[i]
		}
	}
	return nil
}
