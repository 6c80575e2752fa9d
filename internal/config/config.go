// Package config reads bodystats' settings: flags over environment over config.ini over defaults.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config holds every setting of one run. Each field names the flag and the
// environment variable that set it; CONTRACT.md lists the variables.
type Config struct {
	Addr       string // BODYSTATS_ADDR, -addr, default "localhost:8080"
	BaseURL    string // BODYSTATS_BASE_URL, -base-url, default derived from Addr; never ends in "/"
	BaseURLSet bool   // BaseURL came from a flag, the environment or config.ini (main re-derives it when Addr has port 0)
	DataDir    string // BODYSTATS_DATA_DIR, -data-dir, default "./data"
	Demo       bool   // BODYSTATS_DEMO, -demo
	// SyncInterval is how often connected accounts sync while the app runs (BODYSTATS_SYNC_INTERVAL,
	// -sync-interval, default "6h", "0" never); validated as a duration.
	SyncInterval string
	// BackupInterval is how often the running app writes a backup into DATA_DIR/backups
	// (BODYSTATS_BACKUP_INTERVAL, -backup-interval, default "24h", "0" never); BackupKeep which of them stay
	// (BODYSTATS_BACKUP_KEEP, -backup-keep, default "7d,4w"). See BackupEvery and BackupRetention.
	BackupInterval, BackupKeep string
	// AllowedHosts lists extra host names the app answers to (BODYSTATS_ALLOWED_HOSTS, -allowed-hosts, comma
	// separated); see Hosts.
	AllowedHosts string
	ConfigFile   string // BODYSTATS_CONFIG, -config, default "config.ini" in the working directory
	// TrustedProxies lists the reverse proxies whose X-Forwarded-* headers are believed
	// (BODYSTATS_TRUSTED_PROXIES, -trusted-proxies, comma-separated CIDRs); validated.
	TrustedProxies string
	// SessionIdle is how long a signed-in browser may go unused (BODYSTATS_SESSION_IDLE, -session-idle,
	// default "720h", "0" only the absolute expiry); validated as a duration.
	SessionIdle string

	FitbitConsumerKey, FitbitConsumerSecret string // FITBIT_CONSUMER_KEY/SECRET, -fitbit-consumer-key/-secret; config.ini [Login Parameters] C_KEY / C_SECRET
	FitbitUserKey, FitbitUserSecret         string // config.ini [Login Parameters] U_KEY / U_SECRET only (an OAuth 1.0a access token saved by hand)
	FitbitClientID, FitbitClientSecret      string // FITBIT_CLIENT_ID/SECRET, -fitbit-client-id/-secret
	GoogleClientID, GoogleClientSecret      string // GOOGLE_CLIENT_ID/SECRET, -google-client-id/-secret
	IHealthClientID, IHealthClientSecret    string // IHEALTH_CLIENT_ID/SECRET, -ihealth-client-id/-secret
	IHealthSC, IHealthSV                    string // IHEALTH_SC/SV, -ihealth-sc/-sv: the app's serial code and its weight API's serial value

	FitbitAPIURL       string // FITBIT_API_URL, -fitbit-api-url, default "https://api.fitbit.com"; never ends in "/"
	FitbitWWWURL       string // FITBIT_WWW_URL, -fitbit-www-url, default "https://www.fitbit.com"; never ends in "/"
	GoogleAuthURL      string // GOOGLE_AUTH_URL, -google-auth-url, default "https://accounts.google.com/o/oauth2/v2/auth"
	GoogleTokenURL     string // GOOGLE_TOKEN_URL, -google-token-url, default "https://oauth2.googleapis.com/token"
	GoogleHealthAPIURL string // GOOGLE_HEALTH_API_URL, -google-health-api-url, default "https://health.googleapis.com"; never ends in "/"
	IHealthAPIURL      string // IHEALTH_API_URL, -ihealth-api-url, default "https://api.ihealthlabs.com:8443"; never ends in "/"
}

// CallbackURL is the one redirect URI registered with every provider (route GET /callback).
func (c Config) CallbackURL() string {
	return c.BaseURL + "/callback"
}

// BaseURLFromAddr derives the public URL of a listen address: an empty,
// 0.0.0.0 or :: host is shown as localhost, because a browser cannot open the
// wildcard address. main calls it again with the listener's real address when
// Addr asked for port 0.
func BaseURLFromAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

// LogValue lets a Config be logged whole: secrets show only whether they are set.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(c.attrs()...)
}

// Format prints the same redacted view for every fmt verb, so a stray
// fmt.Printf("%+v", cfg) cannot leak a secret.
func (c Config) Format(f fmt.State, _ rune) {
	parts := make([]string, 0, len(fields))
	for _, a := range c.attrs() {
		parts = append(parts, a.Key+":"+strconv.Quote(a.Value.String()))
	}
	fmt.Fprintf(f, "config.Config{%s}", strings.Join(parts, " "))
}

func (c Config) attrs() []slog.Attr {
	attrs := []slog.Attr{slog.Bool("base_url_set", c.BaseURLSet)}
	for i := range fields {
		f := &fields[i]
		v := f.get(&c)
		if f.secret && v != "" {
			v = "[redacted]"
		}
		attrs = append(attrs, slog.String(f.logName(), v))
	}
	return attrs
}

// SyncEvery returns SyncInterval as a duration; 0 means never.
func (c Config) SyncEvery() time.Duration {
	d, _ := time.ParseDuration(c.SyncInterval)
	return d
}

// SessionIdleFor returns SessionIdle as a duration; 0 means only the absolute expiry applies.
func (c Config) SessionIdleFor() time.Duration {
	d, _ := time.ParseDuration(c.SessionIdle)
	return d
}

// BackupEvery returns BackupInterval as a duration; 0 means never.
func (c Config) BackupEvery() time.Duration {
	d, _ := time.ParseDuration(c.BackupInterval)
	return d
}

// BackupRetention returns how many daily and weekly backups BackupKeep keeps.
func (c Config) BackupRetention() (daily, weekly int) {
	daily, weekly, _ = parseKeep(c.BackupKeep)
	return daily, weekly
}

// Hosts returns every host name the app answers to: the loopback names, BaseURL's host, and AllowedHosts.
// A request naming any other host (a DNS-rebinding page, say) is refused.
func (c Config) Hosts() []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		hosts = append(hosts, u.Hostname())
	}
	for _, h := range strings.Split(c.AllowedHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, strings.ToLower(h))
		}
	}
	return hosts
}

// Get returns a setting by its environment variable's name (or, for the seed's config.ini-only keys, its key):
// how provider packages read the variables CONTRACT.md lists for them. Unknown names give "".
func (c Config) Get(name string) string {
	f := lookup(name)
	if f == nil || f.ptr == nil {
		return ""
	}
	return *f.ptr(&c)
}
