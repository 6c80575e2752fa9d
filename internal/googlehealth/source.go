package googlehealth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// RecheckDays is how far back each later sync lists again, to mirror weigh-ins edited or deleted upstream.
const RecheckDays = 7

// cursor is what a sync leaves for the next: Complete says the whole history was listed once, up to Newest. Run,
// while set, is a listing of weights under way, which a restarted sync continues instead of starting over.
type cursor struct {
	Newest   string `json:"newest"`
	Oldest   string `json:"oldest"`
	Complete bool   `json:"complete"`
	Run      *run   `json:"run,omitempty"`
}

// run is a weights listing checkpointed with each page it stored. Weights come newest first, so every weight
// later than Resume is stored: a restart asks for the rest with the page token while Google still accepts it,
// or else by time (physical time at or before Resume; the points at Resume itself come again and replace their
// stored selves, so nothing is stored twice).
type run struct {
	Started    string     `json:"started"`              // the date the listing began: Newest once it completes
	Since      *time.Time `json:"since,omitempty"`      // the lower bound; nil lists the whole history
	MirrorFrom string     `json:"mirrorFrom,omitempty"` // a re-check: the span its last page mirrors
	Before     *time.Time `json:"before,omitempty"`     // the upper bound of the query Token continues
	Token      string     `json:"token,omitempty"`
	Resume     *time.Time `json:"resume,omitempty"` // the oldest physical time stored so far
	Seen       []string   `json:"seen,omitempty"`   // a re-check's ids so far, kept by its mirror
}

// The steps of a sync, in order.
const (
	phaseProfile = iota
	phaseSettings
	phaseHeight
	phaseWeights
)

// Source syncs a Google Health API account: the profile (membership start), the settings (units, time zone;
// skipped when the person did not grant them), the newest height, then the weights, newest first, in pages of
// MaxPageSize (the fewest requests the API allows), each followed by the body fat of the page's span, so every
// weigh-in is stored with the reading its scale took at the same instant and a page is stored whole: a history
// of W weigh-ins takes 3 + 2*ceil(W/10000) requests (more when a span holds over 10000 body-fat readings). A later
// sync lists only the readings since a week before the last one, and mirrors that week: deletions upstream are
// removed. A sync stopped mid-listing resumes after the last page it stored.
type Source struct {
	client   *Client
	now      func() time.Time
	pageSize int
	state    cursor
	run      run

	phase   int
	pending *pending // a weights page awaiting its body fat
	fat     map[time.Time]float64
	profile provider.Profile
	sent    []time.Time // when the requests of the last minute went
}

// NewSource returns the sync of one account through client, in pages of pageSize (0: MaxPageSize).
func NewSource(client *Client, env provider.SourceEnv, pageSize int) (*Source, error) {
	s := &Source{client: client, now: env.Now, pageSize: pageSize, fat: map[time.Time]float64{},
		profile: provider.Profile{MemberSince: env.Account.Profile.MemberSince}}
	if s.now == nil {
		s.now = time.Now
	}
	if len(env.Cursor) > 0 {
		if err := json.Unmarshal(env.Cursor, &s.state); err != nil {
			return nil, fmt.Errorf("googlehealth: sync cursor: %w", err)
		}
	}
	switch {
	case s.state.Run != nil:
		// A listing was stopped: its profile is stored, the weights newer than Resume too.
		s.run, s.state.Run = *s.state.Run, nil
		s.phase = phaseWeights
	case s.state.Complete:
		newest, err := time.Parse(time.DateOnly, s.state.Newest)
		if err != nil {
			newest = s.now().UTC()
		}
		since := newest.AddDate(0, 0, -(RecheckDays + 1)) // a day's margin for the reader's UTC offset
		s.run = run{Since: &since, MirrorFrom: newest.AddDate(0, 0, -RecheckDays).Format(time.DateOnly)}
	}
	if s.run.Started == "" {
		s.run.Started = s.now().UTC().Format(time.DateOnly)
	}
	return s, nil
}

// RequestsPerMinute is the Health API's budget per user. Google sends no budget headers, so the Source counts
// its own requests and reports the budget left in the last minute; the syncer waits once it is spent.
const RequestsPerMinute = 300

// RateLimit is the share of the per-minute budget this sync has not spent.
func (s *Source) RateLimit() provider.RateLimit {
	s.prune()
	lim := provider.RateLimit{Known: true, Remaining: RequestsPerMinute - len(s.sent)}
	if len(s.sent) > 0 {
		lim.Reset = s.sent[0].Add(time.Minute).Sub(s.now())
	}
	return lim
}

func (s *Source) prune() {
	cut := s.now().Add(-time.Minute)
	i := 0
	for i < len(s.sent) && !s.sent[i].After(cut) {
		i++
	}
	s.sent = s.sent[i:]
}

// Next sends the sync's next request.
func (s *Source) Next(ctx context.Context) (provider.Step, error) {
	s.prune()
	s.sent = append(s.sent, s.now())
	switch s.phase {
	case phaseProfile:
		p, err := s.client.Profile(ctx)
		if err != nil {
			return provider.Step{}, err
		}
		if p.MembershipStart != "" {
			s.profile.MemberSince = p.MembershipStart
		}
		s.phase = phaseSettings
		return s.profileStep(), nil
	case phaseSettings:
		set, err := s.client.Settings(ctx)
		if errors.Is(err, ErrForbidden) {
			s.phase = phaseHeight // the settings scope was unticked or refused: kg and each weigh-in's own zone
			return provider.Step{}, nil
		}
		if err != nil {
			return provider.Step{}, err
		}
		s.profile.Unit, s.profile.HeightUnit, s.profile.TimeZone = set.WeightUnit, set.HeightUnit, set.Zone()
		s.phase = phaseHeight
		return s.profileStep(), nil
	case phaseHeight:
		page, err := s.client.Heights(ctx, HeightPageSize, "")
		if err != nil {
			return provider.Step{}, err
		}
		if len(page.Heights) > 0 {
			s.profile.HeightCm = page.Heights[0].Cm // newest first
		}
		s.phase = phaseWeights
		return s.profileStep(), nil
	}
	if s.pending != nil {
		return s.bodyFat(ctx)
	}
	return s.weights(ctx)
}

// pending is a page of weights whose body fat is being listed: the readings in [from, to).
type pending struct {
	page     Page
	before   *time.Time // the query's upper bound
	from, to time.Time
	token    string // the body-fat listing's next page
}

func (s *Source) profileStep() provider.Step {
	p := s.profile
	return provider.Step{Profile: &p}
}

// weights lists the next page of weights and checkpoints the listing with it.
func (s *Source) weights(ctx context.Context) (provider.Step, error) {
	before := s.run.Before
	if s.run.Token == "" && s.run.Resume != nil {
		to := s.run.Resume.Add(time.Nanosecond)
		before = &to
	}
	page, err := s.client.Weights(ctx, deref(s.run.Since), deref(before), s.pageSize, s.run.Token)
	var gerr *Error
	if s.run.Token != "" && errors.As(err, &gerr) && gerr.StatusCode == http.StatusBadRequest {
		// The page token has expired (or the API changed its mind): go on by time. The request just made
		// counts; the next one asks for the physical times not yet stored.
		s.run.Token, s.run.Before = "", nil
		return provider.Step{Cursor: s.checkpoint()}, nil
	}
	if err != nil {
		return provider.Step{}, err
	}
	if len(page.Samples) == 0 {
		return s.store(page, before), nil
	}
	p := &pending{page: page, before: before, from: page.Samples[0].Time, to: page.Samples[0].Time}
	for _, smp := range page.Samples {
		if smp.Time.Before(p.from) {
			p.from = smp.Time
		}
		if smp.Time.After(p.to) {
			p.to = smp.Time
		}
	}
	p.to = p.to.Add(time.Nanosecond)
	s.pending = p
	return provider.Step{}, nil
}

// bodyFat lists the body fat of the pending page's span, then stores the page.
func (s *Source) bodyFat(ctx context.Context) (provider.Step, error) {
	p := s.pending
	page, err := s.client.BodyFat(ctx, p.from, p.to, s.pageSize, p.token)
	if err != nil {
		return provider.Step{}, err
	}
	for _, smp := range page.Samples {
		s.fat[smp.Time.UTC()] = smp.Value
	}
	if p.token = page.NextPageToken; p.token != "" {
		return provider.Step{}, nil
	}
	s.pending = nil
	step := s.store(p.page, p.before)
	clear(s.fat)
	return step, nil
}

// store turns a page of weights, with their body fat listed, into the step that stores it with the checkpoint.
func (s *Source) store(page Page, before *time.Time) provider.Step {
	step := provider.Step{Readings: s.readings(page.Samples)}
	for _, smp := range page.Samples {
		if s.run.Resume == nil || smp.Time.Before(*s.run.Resume) {
			t := smp.Time
			s.run.Resume = &t
		}
	}
	s.run.Token, s.run.Before = page.NextPageToken, before
	step.Oldest, step.Progress = s.progress()
	if s.run.Token != "" {
		if s.run.MirrorFrom != "" {
			for _, r := range step.Readings {
				s.run.Seen = append(s.run.Seen, r.ExternalID)
			}
		}
		step.Cursor = s.checkpoint()
		return step
	}
	if s.run.MirrorFrom != "" {
		// A re-check's answer is the whole truth once every page is in.
		step.Mirror = &provider.Mirror{From: s.run.MirrorFrom, To: "9999-12-31", Keep: s.run.Seen}
	}
	s.state = cursor{Newest: s.run.Started, Oldest: s.profile.MemberSince, Complete: true}
	step.Cursor, _ = json.Marshal(s.state)
	step.Done, step.Progress, step.Oldest = true, 1, s.profile.MemberSince
	return step
}

// checkpoint is the cursor that resumes the listing where it stands.
func (s *Source) checkpoint() []byte {
	c := s.state
	r := s.run
	c.Run = &r
	b, _ := json.Marshal(c)
	return b
}

// progress is how far back the listing has come, as a date and as a share of the membership.
func (s *Source) progress() (string, float64) {
	if s.run.Resume == nil {
		return "", 0
	}
	oldest := s.run.Resume.UTC().Format(time.DateOnly)
	from, err1 := time.Parse(time.DateOnly, s.profile.MemberSince)
	to, err2 := time.Parse(time.DateOnly, s.run.Started)
	if s.run.Since != nil {
		from, err1 = *s.run.Since, nil
	}
	if err1 != nil || err2 != nil || !from.Before(to) {
		return oldest, 0
	}
	share := float64(to.Sub(*s.run.Resume)) / float64(to.Sub(from))
	return oldest, min(max(share, 0.01), 0.99)
}

// readings turns weight samples into readings. Google gives each reading's UTC offset rather than a zone name, so
// the offset is what is kept as the zone ("+01:00").
func (s *Source) readings(samples []Sample) []provider.Reading {
	out := make([]provider.Reading, 0, len(samples))
	for _, smp := range samples {
		r := provider.Reading{
			ExternalID: smp.ID, Date: smp.Date, Clock: smp.Clock, WeightKg: smp.Value, Device: smp.Source,
			Zone: formatOffset(smp.Offset), Method: smp.Method,
		}
		if pct, ok := s.fat[smp.Time.UTC()]; ok {
			r.FatPct = &pct
		}
		out = append(out, r)
	}
	return out
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
