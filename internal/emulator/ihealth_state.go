package emulator

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// iHealth's demo account: UserIDs are 32 hex characters.
const demoIHealthUserID = "5a3d9b1e7c2f48a6b0e4d1c9f3a7e205"

// IHealthOptions are the knobs of the iHealth part. The zero value is a kg account in the one region, spelling
// TimeZone the three ways iHealth does ("+0100", "0100", 1) in turn, answering errors with HTTP 200, refresh
// tokens that do not rotate, and the paid budget of 5000 requests an hour.
type IHealthOptions struct {
	Unit int // the account's unit, served for locale=user: 0 kg, 1 lb, 2 stone
	// Zones is how TimeZone is spelled: "signed" ("+0100", "-0800"), "unsigned" ("0100"; signed when negative),
	// "int" (whole hours as a number: 1, -8), "colon" ("+01:00"), "empty" (""), or "" for signed, unsigned and
	// int in turn.
	Zones string
	// Region is the origin of the host the account lives on (an EU account's openapi.ihealthlabs.eu); data
	// requests to any other host get error 2005. "" is whatever host the token request reached.
	Region           string
	Rotate           bool          // a refresh hands out a new refresh token and retires the old one
	OmitRefreshToken bool          // a refresh answer leaves RefreshToken out (the old one stays valid)
	AccessTTL        time.Duration // Expires; default 3672000 s, as real answers say
	HourlyLimit      int           // data requests per client per clock hour; default 5000 (500 for an unpaid app)
	ErrorStatus      int           // HTTP status of error bodies; default 200, as iHealth's sample expects
	NextPageHost     string        // when set, NextPageUrl names this origin instead of the emulator's (a client must not follow it)
}

// IHealthRecord is one extra weigh-in a test adds to the iHealth account, beyond the demo history.
type IHealthRecord struct {
	DataID   string
	Local    time.Time // the wall clock (its location is ignored)
	TimeZone any       // as sent: "-0800", "0800", -8, "", "+25:00"...
	WeightKg float64   // converted to the account's unit when served
	FatPct   float64   // 0: not measured
	BMI      float64
	Manual   bool
}

type ihealthClient struct{ secret, sc, sv, redirect string }

type ihealthCode struct {
	clientID, redirect string
	apis               []string
	expires            time.Time
}

type ihealthToken struct {
	clientID string
	apis     []string
	expires  time.Time // access tokens only
}

// ihealthState is the iHealth part's own state, under its own lock.
type ihealthState struct {
	mu       sync.Mutex
	opts     IHealthOptions
	clients  map[string]ihealthClient
	requests map[string]*ihealthCode // consent pages shown, by handle
	codes    map[string]*ihealthCode
	access   map[string]*ihealthToken
	refresh  map[string]*ihealthToken
	deleted  map[string]bool
	extra    []IHealthRecord
	hour     time.Time
	used     map[string]int // requests per client in the current hour
	faults   []string       // "burst", "html": the next data requests' answers

	dataRequests, exchanges, refreshes, refused int
}

func newIHealthState() *ihealthState {
	return &ihealthState{
		clients: map[string]ihealthClient{}, requests: map[string]*ihealthCode{}, codes: map[string]*ihealthCode{},
		access: map[string]*ihealthToken{}, refresh: map[string]*ihealthToken{}, deleted: map[string]bool{},
		used: map[string]int{},
	}
}

// AddIHealthClient registers an iHealth app: its secret, its serial code (sc), the serial value of its weight
// API (sv) and its registered redirect URI (host and path must match; extra query parameters are allowed).
func (e *Emulator) AddIHealthClient(id, secret, sc, sv, redirectURI string) {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[id] = ihealthClient{secret: secret, sc: sc, sv: sv, redirect: redirectURI}
}

// SetIHealth sets the iHealth part's knobs.
func (e *Emulator) SetIHealth(o IHealthOptions) {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts = o
}

// IHealthFault makes the next n data requests answer kind: "burst" (HTTP 503, as iHealth throttles bursts) or
// "html" (an HTML error page with HTTP 200).
func (e *Emulator) IHealthFault(kind string, n int) {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, kind)
	}
}

// AddIHealthRecord adds a weigh-in to the iHealth account.
func (e *Emulator) AddIHealthRecord(r IHealthRecord) {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extra = append(s.extra, r)
}

// DeleteIHealthRecord deletes a weigh-in; iHealth has no deleted flag, so it just stops being listed.
func (e *Emulator) DeleteIHealthRecord(dataID string) {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleted[dataID] = true
}

// ExpireIHealthTokens makes every iHealth access token expired now.
func (e *Emulator) ExpireIHealthTokens() {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	now := e.now()
	for _, t := range s.access {
		t.expires = now
	}
}

// RevokeIHealthGrants kills every iHealth token, as a person removing the app's access does.
func (e *Emulator) RevokeIHealthGrants() {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.access)
	clear(s.refresh)
}

// IHealthRequests counts data requests (refused ones included), successful code exchanges and refreshes, and
// refused token calls.
func (e *Emulator) IHealthRequests() (data, exchanges, refreshes, refused int) {
	s := e.ih
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dataRequests, s.exchanges, s.refreshes, s.refused
}

// IHealthUserID is the demo account's UserID.
func (e *Emulator) IHealthUserID() string { return demoIHealthUserID }

// ihealthEntry is one record as the account holds it, in kilograms.
type ihealthEntry struct {
	IHealthRecord
	offset  int  // seconds east of UTC at that wall clock
	derived bool // from the demo history: the zone is spelled by the Zones knob
}

// mdate is the wall clock as Unix seconds as if it were UTC: iHealth's shifted scale.
func (en ihealthEntry) mdate() int64 {
	y, m, d := en.Local.Date()
	h, mi, s := en.Local.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC).Unix()
}

// ihealthEntriesLocked is the account's history, the demo user's weigh-ins at the same instants as the Fitbit
// history (so a person with both sees twins), oldest first, without deleted ones.
func (e *Emulator) ihealthEntriesLocked() []ihealthEntry {
	s := e.ih
	out := make([]ihealthEntry, 0, len(e.logs)+len(s.extra))
	for _, l := range e.logs {
		id := ihealthDataID(l.LogID)
		if s.deleted[id] {
			continue
		}
		wall := time.UnixMilli(l.LogID).UTC() // Fitbit's logId is the wall clock read as UTC
		y, m, d := wall.Date()
		h, mi, sec := wall.Clock()
		_, off := time.Date(y, m, d, h, mi, sec, 0, e.loc).Zone()
		r := IHealthRecord{DataID: id, Local: wall, WeightKg: l.WeightKg, BMI: l.BMI, Manual: l.Source == "Web"}
		if l.HasFat {
			r.FatPct = l.FatPct
		}
		out = append(out, ihealthEntry{IHealthRecord: r, offset: off, derived: true})
	}
	for _, r := range s.extra {
		if !s.deleted[r.DataID] {
			out = append(out, ihealthEntry{IHealthRecord: r})
		}
	}
	slices.SortStableFunc(out, func(a, b ihealthEntry) int { return int(a.mdate() - b.mdate()) })
	return out
}

// ihealthDataID derives a stable 32-hex DataID from a Fitbit logId.
func ihealthDataID(logID int64) string {
	return fmt.Sprintf("%016x%016x", mix(uint64(logID)^0x69486561), mix(mix(uint64(logID))))
}
