package emulator

import (
	"slices"
	"time"
)

// WithingsOptions tune the Withings part. The zero value is the real service as the reference describes it.
type WithingsOptions struct {
	PageSize     int           // measure groups per getmeas answer before more=1. Default 200 (undocumented upstream).
	RateLimit    int           // requests per minute for one client id, every endpoint counted: the app's whole budget. Default 120.
	AccessTTL    time.Duration // access token lifetime. Default 3h.
	CodeTTL      time.Duration // authorization code lifetime. Default 30s.
	RefreshGrace time.Duration // how long a rotated refresh token still works (unless the new access token is used). Default 8h.
	DedupeWindow time.Duration // identical token requests within this answer 601. Default 10s.
	UserIDString bool          // the token answer's userid as a JSON string instead of a number
	TimeZone     string        // the getmeas answers' timezone; default the demo user's zone
}

// WithingsGroup is one measure group as getmeas lists it.
type WithingsGroup struct {
	GrpID    int64
	Attrib   int
	Date     int64 // unix seconds, when measured
	Created  int64
	Modified int64
	Category int    // 1 real measure, 2 objective
	Model    string // "" for manual entries (JSON null)
	ModelID  int
	DeviceID string // "" for manual entries (JSON null)
	Measures []WithingsMeasure
}

// WithingsMeasure is one value of a group: Value × 10^Unit in the type's unit.
type WithingsMeasure struct {
	Value int64
	Type  int
	Unit  int
}

// WithingsCall is one request the Withings part answered.
type WithingsCall struct {
	Path   string // /v2/oauth2 or /measure
	Action string
	Params map[string]string // the request's parameters, secrets, codes and tokens left out
	Status int               // the envelope's status; the HTTP status for answers that are not envelopes
	At     time.Time         // when it was answered, by Options.Now
}

// Withings meastypes the emulator generates.
const (
	wTypeWeight   = 1
	wTypeHeight   = 4
	wTypeFFM      = 5
	wTypeFatRatio = 6
	wTypeFatMass  = 8
	wTypePulse    = 11
)

// withingsUserID is the demo user's Withings id.
const withingsUserID = 4827163

type withingsCode struct {
	clientID, redirectURI string
	expires               time.Time
}

type withingsAccess struct {
	clientID string
	expires  time.Time
	used     bool
}

type withingsRefresh struct {
	clientID   string
	access     string    // the access token issued with it
	deadline   time.Time // zero: valid for the year a refresh token lives
	successors []string  // access tokens issued from it: the first use of one ends it
}

type withingsClient struct {
	secret    string
	redirects []string
}

type withingsState struct {
	opts     WithingsOptions
	clients  map[string]withingsClient
	requests map[string]*authRequest // consent pages awaiting a decision
	codes    map[string]*withingsCode
	access   map[string]*withingsAccess
	refresh  map[string]*withingsRefresh
	recent   map[string]time.Time // token requests' arguments → when last seen (601 dedupe)
	rates    map[string]*rateWindow

	built  bool
	groups []WithingsGroup // sorted newest first
	nextID int64
	log    []WithingsCall

	codeExchanges, refreshes, refusals, rateLimited, measureCalls int
}

func newWithingsState() *withingsState {
	return &withingsState{
		clients: map[string]withingsClient{}, requests: map[string]*authRequest{}, codes: map[string]*withingsCode{},
		access: map[string]*withingsAccess{}, refresh: map[string]*withingsRefresh{}, recent: map[string]time.Time{},
		rates: map[string]*rateWindow{},
	}
}

// SetWithings replaces the Withings options; zero fields keep their defaults.
func (e *Emulator) SetWithings(o WithingsOptions) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.withings.opts = o
}

func (s *withingsState) options(zone string) WithingsOptions {
	o := s.opts
	if o.PageSize <= 0 {
		o.PageSize = 200
	}
	if o.RateLimit <= 0 {
		o.RateLimit = 120
	}
	if o.AccessTTL <= 0 {
		o.AccessTTL = 3 * time.Hour
	}
	if o.CodeTTL <= 0 {
		o.CodeTTL = 30 * time.Second
	}
	if o.RefreshGrace <= 0 {
		o.RefreshGrace = 8 * time.Hour
	}
	if o.DedupeWindow <= 0 {
		o.DedupeWindow = 10 * time.Second
	}
	if o.TimeZone == "" {
		o.TimeZone = zone
	}
	return o
}

// AddWithingsClient registers a Withings application with its callback URLs (Withings allows several). Requests
// from unknown client ids, with another secret or for another redirect URI (compared byte for byte) are refused.
func (e *Emulator) AddWithingsClient(id, secret string, redirectURIs ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.withings.clients[id] = withingsClient{secret: secret, redirects: slices.Clone(redirectURIs)}
}

// WithingsUserID is the demo user's Withings userid.
func (e *Emulator) WithingsUserID() int64 { return withingsUserID }

// WithingsGroups returns every live measure group (category 1 and 2), newest first.
func (e *Emulator) WithingsGroups() []WithingsGroup {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.withingsGroupsLocked())
}

// WithingsLog returns every request the Withings part answered, in order.
func (e *Emulator) WithingsLog() []WithingsCall {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.withings.log)
}

// WithingsStats counts successful code exchanges and refreshes, refused token requests (status 503), answers
// with status 601 and getmeas calls.
func (e *Emulator) WithingsStats() (codeExchanges, refreshes, refusals, rateLimited, measureCalls int) {
	s := e.withings
	e.mu.Lock()
	defer e.mu.Unlock()
	return s.codeExchanges, s.refreshes, s.refusals, s.rateLimited, s.measureCalls
}

// WithingsEdit changes a group's weight (kg, kept at its exponent) as the person editing it in the app does: its
// modified time moves to now. It reports whether the group exists.
func (e *Emulator) WithingsEdit(grpID int64, kg float64) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	gs := e.withingsGroupsLocked()
	for i := range gs {
		if gs[i].GrpID != grpID {
			continue
		}
		for j := range gs[i].Measures {
			if m := &gs[i].Measures[j]; m.Type == wTypeWeight {
				m.Value = scaled(kg, m.Unit)
			}
		}
		gs[i].Modified = e.now().Unix()
		return true
	}
	return false
}

// WithingsDelete removes a group; Withings keeps no tombstone. It reports whether the group existed.
func (e *Emulator) WithingsDelete(grpID int64) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	gs := e.withingsGroupsLocked()
	i := slices.IndexFunc(gs, func(g WithingsGroup) bool { return g.GrpID == grpID })
	if i < 0 {
		return false
	}
	e.withings.groups = slices.Delete(gs, i, i+1)
	return true
}

// WithingsAdd stores a new group as a scale upload at now does, and returns its grpid. A zero GrpID gets a fresh
// one, zero Created and Modified become now, a zero Category 1.
func (e *Emulator) WithingsAdd(g WithingsGroup) int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	gs := e.withingsGroupsLocked()
	now := e.now().Unix()
	if g.GrpID == 0 {
		e.withings.nextID++
		g.GrpID = e.withings.nextID
	}
	if g.Created == 0 {
		g.Created = now
	}
	if g.Modified == 0 {
		g.Modified = g.Created
	}
	if g.Category == 0 {
		g.Category = 1
	}
	g.Measures = slices.Clone(g.Measures)
	gs = append(gs, g)
	sortGroups(gs)
	e.withings.groups = gs
	return g.GrpID
}

// WithingsExpireAccessTokens makes every Withings access token expired now (the next getmeas answers 401).
func (e *Emulator) WithingsExpireAccessTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, t := range e.withings.access {
		t.expires = e.now()
	}
}

func sortGroups(gs []WithingsGroup) {
	slices.SortFunc(gs, func(a, b WithingsGroup) int {
		if a.Date != b.Date {
			return int(b.Date - a.Date)
		}
		return int(b.GrpID - a.GrpID)
	})
}

// IssueWithingsToken returns a valid access and refresh token of the demo user for a registered client, for
// benchmarks and tests that skip the browser.
func (e *Emulator) IssueWithingsToken(clientID string) (access, refresh string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.withingsIssueLocked(clientID, e.withings.options(demoTimeZone)).Body.(withingsTokenBody)
	return b.AccessToken, b.RefreshToken
}
