// Package emulator is a strict in-process emulator of every provider bodystats connects to, with a deterministic demo history: Fitbit's OAuth 1.0a and 2.0 and Web API, Google's OAuth 2.0 and the Google Health API, Withings' OAuth 2.0 and measure API, and iHealth's Open API.
package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
	_ "time/tzdata" // the demo user lives in Europe/London, which must resolve on hosts without a zoneinfo database
)

// Options configure an Emulator. The zero value gives a three-year history ending today.
type Options struct {
	Now       func() time.Time // protocol clock: timestamps, expiries, rate-limit windows. Default time.Now.
	Today     time.Time        // last day of the demo history; only its year, month and day count. Default: today in the user's zone by Now, without the weigh-ins later than Now.
	Seed      int64            // history seed. Default (and for 0) 1.
	Years     int              // history length in years. Default 3.
	Days      int              // history length in days; when > 0 it replaces Years (a short history, e.g. a month)
	RateLimit int              // Fitbit API requests per user per RateWindow. Default 150.

	RateWindow time.Duration // length of the Fitbit per-user rate-limit window, by Now. Default 1h.
	Latency    time.Duration // wall-clock wait before each /1/ and /v4/ request is handled; OAuth endpoints never wait. Default 0.
	Gaps       []Gap         // dates with no weigh-ins, on top of the generated history's own gaps

	AccessTokenTTL       time.Duration // Fitbit OAuth 2.0 access token lifetime, by Now. Default 8h.
	GoogleAccessTokenTTL time.Duration // Google access token lifetime, by Now. Default 1h.
	GoogleRateLimit      int           // Health API requests per user per minute. Default 300.
}

// User is the demo user's profile, metric.
type User struct {
	EncodedID   string
	DisplayName string
	FullName    string
	TimeZone    string
	Locale      string
	HeightCm    float64
	MemberSince string // YYYY-MM-DD
}

// WeightLog is one weigh-in of the demo history, in kilograms, dated in the user's zone.
type WeightLog struct {
	LogID    int64
	Date     string  // YYYY-MM-DD, user-local
	Time     string  // HH:MM:SS, user-local
	WeightKg float64 // 0.1 kg resolution
	BMI      float64 // as Fitbit reports it, 2 decimals
	FatPct   float64 // 0 with HasFat false when not measured
	HasFat   bool
	Source   string // "Aria" for scale weigh-ins (with fat), "Web" for manual entries (no fat)
}

// Emulator is an http.Handler that answers both Fitbit hosts (the "www" consent pages, the "api" token
// endpoints and Web API) and Google's (accounts consent page, token endpoint, Health API) on one server:
// their paths do not overlap. Mount it with httptest.NewServer or on a loopback listener.
type Emulator struct {
	now          func() time.Time
	loc          *time.Location
	rateLimit    int
	rateWindow   time.Duration
	latency      time.Duration
	user         User
	goalKg       float64
	logs         []WeightLog // sorted by date and time, never modified after New
	mux          *http.ServeMux
	consentPaths []string

	accessTTL       time.Duration // Fitbit OAuth 2.0
	googleTTL       time.Duration
	googleRateLimit int
	google          GoogleUser

	mu             sync.Mutex
	consumers      map[string]string // consumer key → consumer secret
	requestTokens  map[string]*requestToken
	accessTokens   map[string]*accessToken
	nonces         map[nonceKey]time.Time // → when the nonce's timestamp leaves the window
	rates          map[string]*rateWindow // user ID → current window
	fault          *faultState
	apiRequests    int
	oauth2         oauth2State
	googleRates    map[string]*rateWindow // health user ID → current minute
	gone           bool
	healthRequests int
	withings       *withingsState
	apiLog         []APIRequest
	rateLimited    int         // 429s for a spent budget, not for faults
	gstate         googleState // the Google account's settings, heights and listing knobs (google_settings.go)

	ih *ihealthState // the iHealth part, under its own lock
}

// New builds an emulator with its demo history. It registers no client: call AddConsumer or AddOAuth2Client.
func New(opts Options) *Emulator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Years <= 0 {
		opts.Years = 3
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = 150
	}
	if opts.RateWindow <= 0 {
		opts.RateWindow = time.Hour
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = 8 * time.Hour
	}
	if opts.GoogleAccessTokenTTL <= 0 {
		opts.GoogleAccessTokenTTL = time.Hour
	}
	if opts.GoogleRateLimit <= 0 {
		opts.GoogleRateLimit = 300
	}
	loc, err := time.LoadLocation(demoTimeZone)
	if err != nil {
		panic("emulator: load time zone: " + err.Error()) // unreachable with time/tzdata linked in
	}
	today := opts.Today
	var cutoff time.Time // none when Today was given: tests see that whole day
	if today.IsZero() {
		today = opts.Now().In(loc)
		cutoff = today // a weigh-in later today has not happened yet
	}
	h := generateHistory(opts.Seed, opts.Years, civilDate(today), cutoff, demoHeightCm)
	if opts.Days > 0 {
		h = h.lastDays(opts.Days, civilDate(today))
	}
	h.logs = withoutGaps(h.logs, opts.Gaps)
	e := &Emulator{
		now:        opts.Now,
		loc:        loc,
		rateLimit:  opts.RateLimit,
		rateWindow: opts.RateWindow,
		latency:    opts.Latency,
		user: User{
			EncodedID:   demoUserID,
			DisplayName: "Sam",
			FullName:    "Sam Demo",
			TimeZone:    demoTimeZone,
			Locale:      "en_GB",
			HeightCm:    demoHeightCm,
			MemberSince: h.memberSince.Format(dateLayout),
		},
		goalKg:          h.goalKg,
		logs:            h.logs,
		accessTTL:       opts.AccessTokenTTL,
		googleTTL:       opts.GoogleAccessTokenTTL,
		googleRateLimit: opts.GoogleRateLimit,
		consumers:       map[string]string{},
		requestTokens:   map[string]*requestToken{},
		accessTokens:    map[string]*accessToken{},
		nonces:          map[nonceKey]time.Time{},
		rates:           map[string]*rateWindow{},
		oauth2:          newOAuth2State(),
		googleRates:     map[string]*rateWindow{},
		withings:        newWithingsState(),
	}
	e.google = GoogleUser{
		HealthUserID:        demoHealthUserID,
		LegacyUserID:        e.user.EncodedID,
		MembershipStartDate: e.user.MemberSince,
		Age:                 demoAge,
		TimeZone:            demoTimeZone,
	}
	e.gstate = newGoogleState(e)
	e.mux = e.routes()
	return e
}

// routes is the emulator's table of contents: each provider's part adds its paths (which never overlap) and
// names its consent pages. The Fitbit paths answer 410 Gone while SetGone(true) holds.
func (e *Emulator) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, part := range []func(*http.ServeMux) []string{e.fitbitRoutes, e.fitbitPublicRoutes, e.googleRoutes, e.withingsRoutes, e.ihealthRoutes} {
		e.consentPaths = append(e.consentPaths, part(mux)...)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeError(w, errNotFound()) })
	return mux
}

// ConsentPaths are the paths of every consent page, which a browser must reach: in demo mode the app serves
// them under its own address.
func (e *Emulator) ConsentPaths() []string { return e.consentPaths }

// fitbitRoutes serves Fitbit's two hosts: www (consent pages) and api (token endpoints and the Web API v1).
func (e *Emulator) fitbitRoutes(mux *http.ServeMux) []string {
	mux.HandleFunc("/oauth/request_token", e.fitbitJSON(e.handleRequestToken)) // api host, POST
	mux.HandleFunc("/oauth/authorize", e.fitbitPage(e.handleAuthorize))        // www host, GET page and POST decision
	mux.HandleFunc("/oauth/access_token", e.fitbitJSON(e.handleAccessToken))   // api host, POST
	mux.HandleFunc("/oauth2/authorize", e.fitbitPage(e.handleFitbitAuthorize)) // www host, OAuth 2.0 consent
	mux.HandleFunc("/oauth2/token", e.fitbitJSON(e.handleFitbitToken))         // api host, POST
	mux.HandleFunc("/1/", e.apiCall(e.handleAPI))                              // Fitbit Web API v1; counts, then checks Gone
	mux.HandleFunc("/images/avatar.svg", handleAvatar)
	return []string{"/oauth/authorize", "/oauth2/authorize"}
}

// googleRoutes serves Google's accounts consent page, its token endpoint and the Health API.
func (e *Emulator) googleRoutes(mux *http.ServeMux) []string {
	mux.HandleFunc("/o/oauth2/v2/auth", e.handleGoogleAuthorize) // accounts.google.com consent
	mux.HandleFunc("/token", e.handleGoogleToken)                // oauth2.googleapis.com, POST
	mux.HandleFunc("/v4/", e.apiCall(e.handleHealth))            // health.googleapis.com
	return []string{"/o/oauth2/v2/auth"}
}

// ServeHTTP answers one request to either Fitbit host.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.mux.ServeHTTP(w, r) }

// AddConsumer registers an OAuth 1.0a client. Requests from unknown consumer keys are refused.
func (e *Emulator) AddConsumer(key, secret string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.consumers[key] = secret
}

// User returns the demo user's profile (metric).
func (e *Emulator) User() User { return e.user }

// WeightLogs returns a copy of the whole demo history, oldest first.
func (e *Emulator) WeightLogs() []WeightLog {
	out := make([]WeightLog, len(e.logs))
	copy(out, e.logs)
	return out
}

// APIRequests returns how many /1/... requests the emulator has answered, refused ones included.
func (e *Emulator) APIRequests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.apiRequests
}

// IssueAccessToken returns a valid access token for the demo user, bound to consumerKey, for tests that skip the
// browser flow. The consumer must be registered with AddConsumer for requests signed with it to pass.
func (e *Emulator) IssueAccessToken(consumerKey string) (token, secret string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.issueAccessTokenLocked(consumerKey)
}

// RestoreAccessToken accepts an access token that an earlier run of the emulator issued for the demo user, so
// demo mode's stored connection keeps working after a restart. The consumer must be registered with AddConsumer.
func (e *Emulator) RestoreAccessToken(consumerKey, token, secret string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.accessTokens[token] = &accessToken{token: token, secret: secret, consumerKey: consumerKey, userID: e.user.EncodedID}
}

func (e *Emulator) issueAccessTokenLocked(consumerKey string) (token, secret string) {
	t := &accessToken{token: randomString(16), secret: randomString(20), consumerKey: consumerKey, userID: e.user.EncodedID}
	e.accessTokens[t.token] = t
	return t.token, t.secret
}

// today is the current date in the user's zone by the protocol clock, as midnight UTC.
func (e *Emulator) today() time.Time { return civilDate(e.now().In(e.loc)) }

const dateLayout = "2006-01-02"

const (
	demoHealthUserID = "4815162342"
	demoAge          = 41
)

// civilDate returns t's calendar date in t's own location as midnight UTC, so date arithmetic never meets DST.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// randomString returns n random bytes as hex; tokens, secrets and verifiers are unguessable.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b)
}

func handleAvatar(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "max-age=86400")
	_, _ = w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">` +
		`<rect width="100" height="100" fill="#00b0b9"/><circle cx="50" cy="38" r="18" fill="#fff"/>` +
		`<path d="M18 92c4-20 18-30 32-30s28 10 32 30z" fill="#fff"/></svg>`))
}
