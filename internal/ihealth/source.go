package ihealth

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// FirstDay bounds the backfill: iHealth's weight scales and Open API date from 2012-2013.
var FirstDay = time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)

// RecheckDays is how far back each later sync fetches again; that window's answer is mirrored, since iHealth
// shows a deletion only as a record missing from a re-fetched window (no deleted flag, no modified-since filter).
const RecheckDays = 7

// slack widens every window on both sides: iHealth filters start_time/end_time against the shifted MDate, which
// is the local clock, but should it filter against the true instant instead, the widest offset (14 h) still
// falls inside. Records outside the window's local dates are dropped, so windows never overlap.
const slack = 14 * 3600

// maxPages stops a window whose NextPageUrl never empties.
const maxPages = 5000

// cursor is what a sync leaves for the next: every local date in [Oldest, Newest] is stored, Complete says the
// backfill reached FirstDay, and Page is the next page of the backfill window that ends the day before Oldest.
type cursor struct {
	Newest   string `json:"newest"`
	Oldest   string `json:"oldest"`
	Complete bool   `json:"complete"`
	Page     int    `json:"page,omitempty"`
}

// window is one span of local dates, fetched page by page.
type window struct {
	from, to time.Time
	mirror   bool
	page     int
	keep     []string
}

// Source syncs an iHealth account newest first: a first sync walks back from today to FirstDay in windows of a
// calendar year, 50 records a page; a later sync fetches from a week before its last one to today and mirrors
// that span, then goes on with any backfill left. Each Next is one request.
type Source struct {
	client *Client
	acct   provider.Account
	state  cursor
	today  time.Time
	queue  []window
	unit   bool // the unit has been reported
}

// NewSource returns the sync of one account through client.
func NewSource(client *Client, env provider.SourceEnv) (*Source, error) {
	now := env.Now
	if now == nil {
		now = time.Now
	}
	client.now = now
	s := &Source{client: client, acct: env.Account}
	if len(env.Cursor) > 0 {
		if err := json.Unmarshal(env.Cursor, &s.state); err != nil {
			return nil, fmt.Errorf("ihealth: sync cursor: %w", err)
		}
	}
	// The newest local date anywhere on Earth: no weigh-in is later.
	s.today = day(now().UTC().Add(14 * time.Hour))
	if n, ok := parseDay(s.state.Newest); ok {
		from := maxTime(n.AddDate(0, 0, -RecheckDays), FirstDay)
		s.queue = append(s.queue, window{from: from, to: s.today, mirror: true, page: 1})
	}
	if !s.state.Complete {
		end := s.today
		if o, ok := parseDay(s.state.Oldest); ok {
			end = o.AddDate(0, 0, -1)
		}
		if w, ok := yearWindow(end); ok {
			w.page = max(1, s.state.Page)
			s.queue = append(s.queue, w)
		}
		if s.state.Newest == "" {
			s.state.Newest = s.today.Format(time.DateOnly)
		}
	}
	return s, nil
}

// RateLimit: iHealth's answers carry no budget; its hourly limit shows as a 503 error.
func (s *Source) RateLimit() provider.RateLimit { return provider.RateLimit{} }

// Next fetches the next page.
func (s *Source) Next(ctx context.Context) (provider.Step, error) {
	if len(s.queue) == 0 {
		return provider.Step{Done: true, Progress: 1, Oldest: s.state.Oldest}, nil
	}
	w := s.queue[0]
	start := Shifted(w.from) - slack
	end := Shifted(w.to.AddDate(0, 0, 1)) - 1 + slack
	page, err := s.client.Weights(ctx, s.acct.UserID, start, end, w.page)
	if err != nil {
		return provider.Step{}, err
	}
	// Only now does the Source change: a failed Next is repeated as it was.
	var step provider.Step
	if !s.unit {
		s.unit = true
		prof := s.acct.Profile
		prof.UserID = s.acct.UserID
		prof.Unit = [...]string{"kg", "lb", "st"}[page.Unit]
		step.Profile = &prof
	}
	lo, hi := w.from.Format(time.DateOnly), w.to.Format(time.DateOnly)
	for _, r := range page.Records {
		if r.Date < lo || r.Date > hi {
			continue
		}
		step.Readings = append(step.Readings, r.Reading())
	}
	for _, sk := range page.Skipped {
		if sk.DataID != "" {
			w.keep = append(w.keep, sk.DataID) // unreadable, not deleted
		}
	}
	if page.More && len(page.Records)+len(page.Skipped) > 0 && w.page < maxPages {
		for _, r := range step.Readings {
			w.keep = append(w.keep, r.ExternalID)
		}
		w.page++
		s.queue[0] = w
		if !w.mirror {
			next := s.state
			next.Page = w.page
			return s.finish(step, next), nil
		}
		return s.finish(step, s.state), nil
	}
	s.queue = s.queue[1:]
	next := s.state
	if w.mirror {
		step.Mirror = &provider.Mirror{From: lo, To: hi, Keep: w.keep}
		next.Newest = s.today.Format(time.DateOnly)
		if next.Oldest == "" {
			next.Oldest = lo
		}
	} else {
		next.Oldest, next.Page, next.Complete = lo, 0, !w.from.After(FirstDay)
		if nw, ok := yearWindow(w.from.AddDate(0, 0, -1)); ok {
			nw.page = 1
			s.queue = append(s.queue, nw)
		}
	}
	return s.finish(step, next), nil
}

// finish leaves the cursor at next.
func (s *Source) finish(step provider.Step, next cursor) provider.Step {
	s.state = next
	step.Cursor, _ = json.Marshal(next)
	step.Done = len(s.queue) == 0
	step.Oldest = next.Oldest
	if next.Complete || step.Done {
		step.Progress = 1
	} else if o, ok := parseDay(next.Oldest); ok {
		total := s.today.Sub(FirstDay).Hours()
		step.Progress = min(1, max(0, s.today.Sub(o).Hours()/total))
	}
	return step
}

// yearWindow is the backfill's window ending at end: back to 1 January of its year, or FirstDay.
func yearWindow(end time.Time) (window, bool) {
	if end.Before(FirstDay) {
		return window{}, false
	}
	from := maxTime(time.Date(end.Year(), 1, 1, 0, 0, 0, 0, time.UTC), FirstDay)
	return window{from: from, to: end}, true
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
