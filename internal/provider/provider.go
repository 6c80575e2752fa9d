// Package provider is the one interface every API source of weigh-ins implements: its id and labels, its sign-in,
// who a grant belongs to, and the Source the syncer drives. Provider packages implement it knowing nothing of the
// app; the registry (package registry) lists them.
package provider

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
)

// Provider is one provider as configured for this run: its sign-in (connect.Provider: Name is the provider id),
// what it says of itself, and its API.
type Provider interface {
	connect.Provider
	// Info describes the provider for pages and messages.
	Info() Info
	// Identify names the person a fresh grant belongs to, through hc (authorised with tok).
	Identify(ctx context.Context, hc *http.Client, tok connect.Token) (Profile, error)
	// Source returns what syncs one account: it sends its requests through env.HTTP, authorised as the account.
	Source(env SourceEnv) (Source, error)
}

// Info is how the app presents a provider.
type Info struct {
	ID     string // as CONTRACT.md names it for /login?provider=: "fitbit", "google-health", "withings"...
	Name   string // how sentences name it: "Fitbit", "Google Health"
	Action string // the Connect button's words: "Connect Fitbit"
	Note   string // one line under the button
	Setup  string // the anchor of the section on /setup that explains how to register an app with the provider
	// Paste says the provider's redirect may land on an address the app cannot open: the landing page offers the
	// paste box beside its Connect control.
	Paste  bool
	Scopes []string // what the sign-in asks for, for the setup page
	// Gone is what to tell the person when the provider answers that it has been switched off (410).
	Gone string
	// TestingGrant is how long the provider lets a grant live while the person's OAuth client is unpublished
	// (Google: 7 days in "Testing"); a refusal at that age gets its own explanation. 0: no such limit.
	TestingGrant time.Duration
}

// Profile is what a provider says about the person. Unknown values are zero.
type Profile struct {
	UserID      string  // the provider's id for the person
	DisplayName string  // "" unknown
	TimeZone    string  // IANA name
	HeightCm    float64 // the newest height the provider holds
	Unit        string  // the weight unit the person's settings name there: "kg", "lb", "st"
	HeightUnit  string  // the height unit the person's settings name there: "cm" or "ftin"; "" unknown
	MemberSince string  // YYYY-MM-DD: the history starts no earlier
}

// Account is what the syncer knows of an account when a sync starts.
type Account struct {
	ID      int64
	UserID  string
	Profile Profile // as stored by earlier syncs
}

// SourceEnv is what a Source is built with.
type SourceEnv struct {
	HTTP    *http.Client // authorised as the account; refreshes go through the app's token manager
	Account Account
	Cursor  []byte           // what the last committed Step left, nil for a first sync
	Now     func() time.Time // the clock: today, ages of data
}

// Source is one sync of one account, driven by the syncer: it calls Next until a Step says Done, committing each
// Step's readings, mirror and cursor in one transaction. Each Next sends at most one request, so the syncer can
// pace, count and retry requests. A Next that fails leaves the Source as it was: calling it again repeats the
// request. A Source is used by one sync and then dropped; what must survive a restart goes in Step.Cursor.
type Source interface {
	Next(ctx context.Context) (Step, error)
	// RateLimit is what the last answer said about the request budget.
	RateLimit() RateLimit
}

// Step is what one request brought.
type Step struct {
	Profile  *Profile // the request read the profile: the syncer stores it on the account
	Readings []Reading
	// Mirror, when set, makes the provider's answer the truth for its span: the source's stored rows in it that
	// the step's readings and Mirror.Keep do not list were deleted upstream.
	Mirror *Mirror
	Cursor []byte // where a later sync resumes once this step is stored; nil keeps the last one
	Done   bool   // the sync is complete

	Progress float64 // the share of the history fetched so far, 0..1; 0 unknown
	Oldest   string  // YYYY-MM-DD: how far back the history has been fetched; "" unknown
}

// Mirror is a span of local dates whose truth is the provider's answer.
type Mirror struct {
	From, To string   // YYYY-MM-DD, inclusive
	Keep     []string // external ids still listed in the span besides the step's readings
}

// Reading is one weigh-in as a provider reports it.
type Reading struct {
	ExternalID  string   // the provider's id for it: Fitbit logId, Google data point name, Withings grpid...
	Date, Clock string   // local YYYY-MM-DD and HH:MM:SS
	Zone        string   // IANA name or a UTC offset ("+01:00"); "" unknown
	WeightKg    float64  // never rounded
	FatPct      *float64 // nil when not measured
	BMI         *float64 // as the provider reports it; nil when it gives none
	Device      string   // what took it: "Aria", "Withings Body+", "Health Connect · Withings", "manual"
	Method      Method
	LogID       int64 // Fitbit's logId, which Fitbit exports share; 0 otherwise
	// Unclaimed marks a reading that may be another person's (a shared scale that could not tell who stepped on):
	// it stays out of the history until the person claims it on the Sources page.
	Unclaimed bool
}

// Method is how a reading was taken; between twins in two sources the higher one is shown.
type Method string

const (
	Device Method = "device"  // the scale's own provider reporting what the scale measured
	Copy   Method = "copy"    // a platform relaying what another app or device recorded
	Manual Method = "entered" // typed in by the person, into the provider's app or site
)

// RateLimit is a provider's request budget as its last answer described it.
type RateLimit struct {
	Known     bool
	Remaining int
	Reset     time.Duration // from when the answer arrived until the budget refills
}

// Base is what every provider shares: its sign-in and its Info. A provider package embeds it and adds Identify
// and Source.
type Base struct {
	connect.Provider
	About Info
}

// Info describes the provider.
func (b Base) Info() Info { return b.About }

// RedirectURI is the address the provider sends the browser back to after its consent page; "" when the sign-in
// does not say. A pasted callback must be at it or at the app's own /callback.
func (b Base) RedirectURI() string {
	if r, ok := b.Provider.(interface{ RedirectURI() string }); ok {
		return r.RedirectURI()
	}
	return ""
}

// Refresh trades an OAuth 2.0 refresh token for a new token, when the sign-in can (package tokens calls it).
func (b Base) Refresh(ctx context.Context, t connect.Token) (connect.Token, error) {
	r, ok := b.Provider.(interface {
		Refresh(context.Context, connect.Token) (connect.Token, error)
	})
	if !ok {
		return connect.Token{}, fmt.Errorf("provider %s: tokens cannot be refreshed", b.Name())
	}
	return r.Refresh(ctx, t)
}

// Env is what a provider is built from.
type Env struct {
	Get         func(name string) string // a setting by its CONTRACT.md variable name, "" when unset
	CallbackURL string                   // {BASE_URL}/callback, the one redirect URI
	BaseURL     string
	HTTPClient  *http.Client
	Demo        bool // the settings point at the built-in emulator: the labels say so
}

// Spec is one provider as the registry lists it.
type Spec struct {
	ID string
	// Configured reports whether the settings hold this provider's client.
	Configured func(get func(string) string) bool
	// New builds the provider from the settings.
	New func(env Env) Provider
}

// PublicReader is a provider that can read a person's public profile without their sign-in: the 2013 post's first
// step, Fitbit's two-legged OAuth 1.0a read with the consumer key alone.
type PublicReader interface {
	// ReadsPublic reports whether this configured sign-in can (it holds a consumer key).
	ReadsPublic() bool
	// ValidPublicID reports whether id is a user id worth asking for; no request is sent for another.
	ValidPublicID(id string) bool
	// PublicProfile reads it: ErrNotFound for an unknown user, ErrForbidden for a private profile, ErrGone for a
	// retired API.
	PublicProfile(ctx context.Context, id string) (PublicProfile, error)
	// PublicExample is a user whose profile is public (the demo user), or "".
	PublicExample() string
}

// PublicProfile is what a public read gives: the profile a person made viewable by anyone, and their weight when
// they made their body data public too.
type PublicProfile struct {
	UserID      string
	DisplayName string
	Avatar      string  // an http(s) URL, or ""
	WeightKg    float64 // 0 when the body data is not public
	HasWeight   bool
}
