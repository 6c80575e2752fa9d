package googlehealth

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// RecheckDays is how far back each later sync lists again, to mirror weigh-ins edited or deleted upstream.
const RecheckDays = 7

// cursor is what a sync leaves for the next: Complete says the whole history was listed once, up to Newest.
type cursor struct {
	Newest   string `json:"newest"`
	Oldest   string `json:"oldest"`
	Complete bool   `json:"complete"`
}

// Source syncs a Google Health API account: the profile (membership start), then body-fat readings and weight
// readings in pages of MaxPageSize, the fewest requests the API allows: a history of W weigh-ins and F body-fat
// readings takes 1 + ceil(F/10000) + ceil(W/10000) requests. Body fat comes first so each weigh-in is stored with
// the reading its scale took at the same instant. A later sync lists only the readings since a week before the
// last one, and mirrors that week: deletions upstream are removed.
type Source struct {
	client *Client
	now    func() time.Time
	state  cursor

	phase      int // 0 profile, 1 body fat, 2 weights
	since      time.Time
	mirrorFrom string
	token      string
	fat        map[time.Time]float64
	seen       []string // ids listed so far by a re-check, kept by its mirror
	memberFrom string
}

// NewSource returns the sync of one account through client.
func NewSource(client *Client, env provider.SourceEnv) (*Source, error) {
	s := &Source{client: client, now: env.Now, fat: map[time.Time]float64{}, memberFrom: env.Account.Profile.MemberSince}
	if s.now == nil {
		s.now = time.Now
	}
	if len(env.Cursor) > 0 {
		if err := json.Unmarshal(env.Cursor, &s.state); err != nil {
			return nil, fmt.Errorf("googlehealth: sync cursor: %w", err)
		}
	}
	if s.state.Complete {
		newest, err := time.Parse(time.DateOnly, s.state.Newest)
		if err != nil {
			newest = s.now().UTC()
		}
		s.since = newest.AddDate(0, 0, -(RecheckDays + 1)) // a day's margin for the reader's UTC offset
		s.mirrorFrom = newest.AddDate(0, 0, -RecheckDays).Format(time.DateOnly)
	}
	return s, nil
}

// RateLimit: the Health API sends no budget headers; its 429s carry Retry-After.
func (s *Source) RateLimit() provider.RateLimit { return provider.RateLimit{} }

// Next sends the sync's next request.
func (s *Source) Next(ctx context.Context) (provider.Step, error) {
	switch s.phase {
	case 0:
		p, err := s.client.Profile(ctx)
		if err != nil {
			return provider.Step{}, err
		}
		s.phase = 1
		if p.MembershipStart != "" {
			s.memberFrom = p.MembershipStart
		}
		return provider.Step{Profile: &provider.Profile{MemberSince: p.MembershipStart}}, nil
	case 1:
		page, err := s.client.BodyFat(ctx, s.since, time.Time{}, MaxPageSize, s.token)
		if err != nil {
			return provider.Step{}, err
		}
		for _, smp := range page.Samples {
			s.fat[smp.Time.UTC()] = smp.Value
		}
		if s.token = page.NextPageToken; s.token == "" {
			s.phase = 2
		}
		return provider.Step{}, nil
	}
	page, err := s.client.Weights(ctx, s.since, time.Time{}, MaxPageSize, s.token)
	if err != nil {
		return provider.Step{}, err
	}
	s.token = page.NextPageToken
	step := provider.Step{Readings: s.readings(page.Samples), Oldest: s.memberFrom}
	if s.token != "" {
		for _, r := range step.Readings {
			s.seen = append(s.seen, r.ExternalID)
		}
		return step, nil
	}
	if s.mirrorFrom != "" {
		// A re-check's answer is the whole truth once every page is in.
		step.Mirror = &provider.Mirror{From: s.mirrorFrom, To: "9999-12-31", Keep: s.seen}
	}
	s.state = cursor{Newest: s.now().UTC().Format(time.DateOnly), Oldest: s.memberFrom, Complete: true}
	step.Cursor, _ = json.Marshal(s.state)
	step.Done, step.Progress = true, 1
	return step, nil
}

// readings turns weight samples into readings. Google gives each reading's UTC offset rather than a zone name, so
// the offset is what is kept as the zone ("+01:00").
func (s *Source) readings(samples []Sample) []provider.Reading {
	out := make([]provider.Reading, 0, len(samples))
	for _, smp := range samples {
		r := provider.Reading{
			ExternalID: smp.ID, Date: smp.Date, Clock: smp.Clock, WeightKg: smp.Value, Device: smp.Source,
			Zone:   time.Unix(0, 0).In(time.FixedZone("", int(smp.Offset.Seconds()))).Format("-07:00"),
			Method: provider.Copy,
		}
		if r.Device == "" {
			r.Device = "Google Health"
		}
		if r.Device == "manual" {
			r.Method = provider.Manual
		}
		if pct, ok := s.fat[smp.Time.UTC()]; ok {
			r.FatPct = &pct
		}
		out = append(out, r)
	}
	return out
}
