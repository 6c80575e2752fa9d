package fitbit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// defaultFirstDay bounds the backfill when the profile names no memberSince: Fitbit accounts begin in 2008.
var defaultFirstDay = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)

// RecheckDays is how far back each later sync looks again, to mirror weigh-ins edited or deleted upstream.
const RecheckDays = 7

// cursor is what a sync leaves for the next: every day in [Oldest, Newest] has been fetched, and Complete says
// the backfill reached the start of the history.
type cursor struct {
	Newest   string `json:"newest"`
	Oldest   string `json:"oldest"`
	Complete bool   `json:"complete"`
}

// task is one planned request: a weight-log window, or (series) the body time series of a chunk of history,
// which plans that chunk's windows.
type task struct {
	series     bool
	w          window // the window, or the chunk's span
	mirror     bool
	next       cursor // the cursor once the window is stored
	chunkStart time.Time
}

// Source syncs a Fitbit Web API account newest first, so current numbers show after the first window while older
// years fill in. A first sync (or one that was interrupted) walks back from the newest day it lacks to the
// account's first day in weight-log windows, asking the body time series where the weigh-ins are when the span
// is long enough for that to pay (see LowerBound). A later sync fetches only the days since the last one plus a
// re-check of the last week, whose answer is mirrored (edits and deletions upstream). Each request is one Next.
type Source struct {
	client *Client
	acct   provider.Account
	now    func() time.Time
	state  cursor

	profiled, planned bool
	zone              string
	first, today      time.Time
	queue             []task
	limit             provider.RateLimit
}

// NewSource returns the sync of one account through client.
func NewSource(client *Client, env provider.SourceEnv) (*Source, error) {
	s := &Source{client: client, acct: env.Account, now: env.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if len(env.Cursor) > 0 {
		if err := json.Unmarshal(env.Cursor, &s.state); err != nil {
			return nil, fmt.Errorf("fitbit: sync cursor: %w", err)
		}
	}
	client.ObserveRateLimit(func(l RateLimit) {
		s.limit = provider.RateLimit{Known: l.Known, Remaining: l.Remaining, Reset: l.Reset}
	})
	return s, nil
}

// RateLimit is what the last answer's Fitbit-Rate-Limit-* headers said.
func (s *Source) RateLimit() provider.RateLimit { return s.limit }

// Next sends the sync's next request.
func (s *Source) Next(ctx context.Context) (provider.Step, error) {
	s.limit = provider.RateLimit{} // what this request's answer says, or nothing when it carried no headers
	if !s.profiled {
		s.zone, s.first = s.acct.Profile.TimeZone, parseDay(s.acct.Profile.MemberSince, defaultFirstDay)
		// A later sync of a complete history skips the profile: one request saved on every scheduled sync.
		if !s.state.Complete || s.zone == "" {
			p, err := s.client.Profile(ctx)
			if err != nil {
				return provider.Step{}, err
			}
			prof := ProfileOf(p)
			s.zone, s.first, s.profiled = p.TimeZone, parseDay(p.MemberSince, defaultFirstDay), true
			return provider.Step{Profile: &prof}, nil
		}
		s.profiled = true
	}
	if !s.planned {
		s.plan()
	}
	for len(s.queue) > 0 {
		t := s.queue[0]
		if t.series {
			if !worthSeries(s.first, t.w.end) {
				s.queue = append(s.expand(t, plainWindows(t.w.start, t.w.end)), s.queue[1:]...)
				continue
			}
			days, err := s.client.WeightDays(ctx, t.w.start, t.w.end)
			if err != nil {
				return provider.Step{}, err
			}
			windows := coverWindows(newestFirst(days))
			for i := range windows {
				// Days before the chunk belong to the next chunk's plan.
				windows[i].start = maxDay(windows[i].start, t.w.start)
			}
			s.queue = append(s.expand(t, windows), s.queue[1:]...)
			if len(windows) > 0 {
				return provider.Step{}, nil
			}
			// The series says the whole chunk is empty: the backfill has covered it.
			next := s.state
			next.Oldest, next.Complete = FormatDate(t.w.start), !t.w.start.After(s.first)
			return s.done(provider.Step{}, next), nil
		}
		logs, err := s.client.WeightLogs(ctx, t.w.start, t.w.end)
		if err != nil {
			return provider.Step{}, err
		}
		s.queue = s.queue[1:]
		step := provider.Step{Readings: readings(s.zone, logs)}
		if t.mirror {
			step.Mirror = &provider.Mirror{From: FormatDate(t.w.start), To: FormatDate(t.w.end)}
		}
		return s.done(step, t.next), nil
	}
	return provider.Step{Done: true, Progress: 1, Oldest: s.state.Oldest}, nil
}

// done finishes a step that leaves the cursor at next.
func (s *Source) done(step provider.Step, next cursor) provider.Step {
	s.state = next
	step.Cursor, _ = json.Marshal(next)
	step.Done = len(s.queue) == 0
	step.Oldest = next.Oldest
	step.Progress = progress(s.first, s.today, parseDay(next.Oldest, s.today))
	return step
}

// plan queues the re-check of the recent days and the first chunk of the backfill.
func (s *Source) plan() {
	s.planned = true
	s.today = Day(s.now().In(location(s.zone)))
	if s.first.After(s.today) {
		s.first = s.today
	}
	if s.state.Newest != "" {
		from := parseDay(s.state.Newest, s.today).AddDate(0, 0, -RecheckDays)
		if from.Before(s.first) {
			from = s.first
		}
		// Newest first; only the last (oldest) window moves Newest to today, so a sync stopped halfway re-checks
		// the whole span again rather than only the last week of it.
		windows := plainWindows(from, s.today)
		for i, w := range windows {
			next := s.state
			if i == len(windows)-1 {
				next.Newest = FormatDate(s.today)
			}
			s.queue = append(s.queue, task{w: w, mirror: true, next: next})
		}
	}
	if !s.state.Complete {
		end := s.today
		if s.state.Oldest != "" {
			end = parseDay(s.state.Oldest, s.today).AddDate(0, 0, -1)
		}
		if s.state.Newest == "" {
			s.state.Newest = FormatDate(s.today)
		}
		if chunk, ok := s.chunk(end); ok {
			s.queue = append(s.queue, chunk)
		}
	}
}

// chunk is the backfill's span of at most MaxSeriesRange days ending at end.
func (s *Source) chunk(end time.Time) (task, bool) {
	if end.Before(s.first) {
		return task{}, false
	}
	start := end.AddDate(0, 0, -(MaxSeriesRange - 1))
	if start.Before(s.first) {
		start = s.first
	}
	return task{series: true, w: window{start, end}}, true
}

// expand turns a chunk into its windows, newest first, followed by the next chunk. The chunk's last window
// leaves the cursor at the chunk's start, whether or not the series put a weigh-in there.
func (s *Source) expand(chunk task, windows []window) []task {
	var out []task
	next := s.state
	for i, w := range windows {
		next.Oldest = FormatDate(w.start)
		if i == len(windows)-1 {
			next.Oldest, next.Complete = FormatDate(chunk.w.start), !chunk.w.start.After(s.first)
		}
		out = append(out, task{w: w, next: next})
	}
	if c, ok := s.chunk(chunk.w.start.AddDate(0, 0, -1)); ok {
		out = append(out, c)
	}
	return out
}

// ProfileOf is what the app keeps of a Fitbit profile. Its weightUnit names the person's unit the way Fitbit's
// units do: en_US weighs in pounds, en_GB in stone, METRIC (and anything else) in kilograms.
func ProfileOf(p Profile) provider.Profile {
	name := p.DisplayName
	if name == "" {
		name = p.FullName
	}
	out := provider.Profile{UserID: p.EncodedID, DisplayName: name, TimeZone: p.TimeZone, HeightCm: p.HeightCm, MemberSince: p.MemberSince}
	switch p.WeightUnit {
	case "en_US":
		out.Unit = "lb"
	case "en_GB":
		out.Unit = "st"
	case "":
	default:
		out.Unit = "kg"
	}
	return out
}

func readings(zone string, logs []WeightLog) []provider.Reading {
	out := make([]provider.Reading, 0, len(logs))
	for _, l := range logs {
		r := provider.Reading{
			ExternalID: strconv.FormatInt(l.LogID, 10), Date: l.Date, Clock: l.Time, Zone: zone,
			WeightKg: l.Weight, FatPct: l.Fat, Device: l.Source, Method: provider.Device, LogID: l.LogID,
		}
		if l.Source == "Web" || l.Source == "API" || l.Source == "" {
			r.Method = provider.Manual // typed into Fitbit's app or site, or written by another app
		}
		if l.BMI > 0 {
			bmi := l.BMI
			r.BMI = &bmi
		}
		out = append(out, r)
	}
	return out
}

// progress is the share of the history between first and today that the backfill has covered.
func progress(first, today, oldest time.Time) float64 {
	total := today.Sub(first).Hours()
	if total <= 0 {
		return 1
	}
	return min(1, max(0, today.Sub(oldest).Hours()/total))
}

func newestFirst(days []time.Time) []time.Time {
	out := slices.Clone(days)
	slices.SortFunc(out, func(a, b time.Time) int { return b.Compare(a) })
	return out
}

func maxDay(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func parseDay(s string, fallback time.Time) time.Time {
	if d, err := ParseDate(s); err == nil {
		return d
	}
	return fallback
}

// location returns the profile's zone, or UTC when the name is unknown to this machine.
func location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}
