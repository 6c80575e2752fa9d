package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// RecheckDays is how many days back every later sync sees whole again, so that weigh-ins deleted upstream
// (Withings keeps no tombstone) are mirrored.
const RecheckDays = 7

// cursor is what a sync leaves for the next. While the backfill runs, Offset is the next page's offset; once
// Complete, Since is the server time of the last sync's first answer, the next sync's lastupdate.
type cursor struct {
	Complete bool   `json:"complete"`
	Offset   int64  `json:"offset,omitempty"`
	Since    int64  `json:"since,omitempty"`
	Oldest   string `json:"oldest,omitempty"`
}

// Source syncs a Withings account. A first sync asks for the heights first (one small request that also gives
// the time zone, so that every weigh-in has its BMI and local time as it arrives), then pages through the whole
// history newest first, offset after offset: 1 + ceil(groups / page size) requests, the fewest getmeas allows.
// A later sync is one getmeas with lastupdate (more pages only if more changed): lastupdate reaches back to the
// start of the re-checked week, and a group dated in that week was created and modified in it, so the answer
// lists every group dated there. Edits move modified and arrive as new values; a stored weigh-in of that week
// the answer does not list was deleted, and Step.Mirror says so. A sync with nothing new costs one request.
type Source struct {
	client *Client
	acct   provider.Account
	now    func() time.Time
	state  cursor

	profiled bool
	zone     zone
	zoneName string
	heightM  float64
	heightAt int64
	since    int64    // this sync's first answer's updatetime
	offset   int64    // the next page of this listing
	seen     []string // ids listed by earlier pages of a re-check, kept by its mirror
	from     string   // the re-check's first local date
	last     int64    // a later sync's lastupdate
}

// NewSource returns the sync of one account through client.
func NewSource(client *Client, env provider.SourceEnv) (*Source, error) {
	s := &Source{client: client, acct: env.Account, now: env.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if len(env.Cursor) > 0 {
		if err := json.Unmarshal(env.Cursor, &s.state); err != nil {
			return nil, fmt.Errorf("withings: sync cursor: %w", err)
		}
	}
	s.zoneName = env.Account.Profile.TimeZone
	s.zone, _ = zoneOf(s.zoneName)
	s.heightM = env.Account.Profile.HeightCm / 100
	s.offset = s.state.Offset
	// A complete history skips the profile: its zone and height are stored, and the one request carries both.
	s.profiled = s.state.Complete && s.zoneName != ""
	if s.state.Complete {
		today := s.now().In(s.zone.loc)
		start := time.Date(today.Year(), today.Month(), today.Day()-RecheckDays, 0, 0, 0, 0, s.zone.loc)
		s.from = start.Format(time.DateOnly)
		// A day's margin for a scale whose clock ran ahead of the server's when it uploaded.
		s.last = start.Unix() - 86400
		if s.state.Since > 0 {
			s.last = min(s.last, s.state.Since-60)
		}
	}
	return s, nil
}

// RateLimit: Withings sends no budget; a spent one answers 601 with wait_seconds.
func (s *Source) RateLimit() provider.RateLimit { return provider.RateLimit{} }

// Next sends the sync's next request.
func (s *Source) Next(ctx context.Context) (provider.Step, error) {
	if !s.profiled {
		return s.profile(ctx)
	}
	q := MeasQuery{Types: bodyTypes, Offset: s.offset}
	if s.state.Complete {
		q.LastUpdate = s.last
	}
	page, err := s.client.GetMeas(ctx, q)
	if err != nil {
		return provider.Step{}, err
	}
	if page.More && page.Offset <= s.offset {
		return provider.Step{}, fmt.Errorf("withings: getmeas: %w: the offset did not move forward", ErrMalformed)
	}
	since := s.since
	if since == 0 {
		since = page.UpdateTime
	}
	step := provider.Step{}
	if p := s.profileChange(page); p != nil {
		step.Profile = p
	}
	step.Readings = s.readings(page.Groups)
	oldest := s.state.Oldest
	for _, r := range step.Readings {
		if oldest == "" || r.Date < oldest {
			oldest = r.Date
		}
	}
	step.Oldest = oldest
	if page.More {
		s.since, s.offset = since, page.Offset
		if s.state.Complete {
			for _, r := range step.Readings {
				s.seen = append(s.seen, r.ExternalID)
			}
			return step, nil // the re-check's cursor moves only once its mirror is stored
		}
		s.state.Offset, s.state.Oldest = page.Offset, oldest
		if s.state.Since == 0 {
			s.state.Since = since
		}
		step.Cursor, _ = json.Marshal(s.state)
		return step, nil
	}
	if s.state.Complete {
		step.Mirror = &provider.Mirror{From: s.from, To: "9999-12-31", Keep: s.seen}
	}
	if !s.state.Complete && s.state.Since > 0 {
		since = s.state.Since // a resumed backfill: what changed since it began is the next sync's
	}
	s.since = since
	s.state = cursor{Complete: true, Since: since, Oldest: oldest}
	step.Cursor, _ = json.Marshal(s.state)
	step.Done, step.Progress = true, 1
	return step, nil
}

// profile asks for the heights (meastype 4), whose answer also names the time zone.
func (s *Source) profile(ctx context.Context) (provider.Step, error) {
	page, err := s.client.GetMeas(ctx, MeasQuery{Types: []int{TypeHeight}})
	if err != nil {
		return provider.Step{}, err
	}
	s.profiled = true
	p := s.profileChange(page)
	if p == nil {
		p = s.currentProfile()
	}
	return provider.Step{Profile: p}, nil
}

// profileChange takes the answer's time zone and newest height; it returns the profile when either changed.
func (s *Source) profileChange(page Page) *provider.Profile {
	changed := false
	if page.TimeZone != "" && page.TimeZone != s.zoneName {
		if z, ok := zoneOf(page.TimeZone); ok {
			s.zone, s.zoneName, changed = z, page.TimeZone, true
		} else if s.zoneName == "" || !isZone(s.zoneName) {
			s.zone = z // not an IANA name: date in UTC, labelled +00:00
		}
	}
	if h, at := newestHeight(page.Groups); h > 0 && at >= s.heightAt && math.Abs(h-s.heightM) > 1e-9 {
		s.heightM, s.heightAt, changed = h, at, true
	}
	if !changed {
		return nil
	}
	return s.currentProfile()
}

func (s *Source) currentProfile() *provider.Profile {
	id := s.acct.UserID
	p := &provider.Profile{UserID: id, DisplayName: s.acct.Profile.DisplayName, HeightCm: math.Round(s.heightM*1000) / 10,
		Unit: s.acct.Profile.Unit, MemberSince: s.acct.Profile.MemberSince}
	if isZone(s.zoneName) {
		p.TimeZone = s.zoneName
	}
	if p.DisplayName == "" && id != "" {
		p.DisplayName = "Withings user " + id
	}
	return p
}

// readings converts a page, one reading per grpid; groups without a usable weight are skipped.
func (s *Source) readings(groups []Group) []provider.Reading {
	out := make([]provider.Reading, 0, len(groups))
	seen := make(map[string]bool, len(groups))
	for _, g := range groups {
		r, err := reading(g, s.zone, s.heightM)
		if err != nil || seen[r.ExternalID] {
			continue
		}
		seen[r.ExternalID] = true
		out = append(out, r)
	}
	return out
}

func isZone(name string) bool {
	_, ok := zoneOf(name)
	return ok
}
