package syncer

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/store"
)

// defaultFirstDay bounds the backfill when the profile names no memberSince: Fitbit accounts begin in 2008.
var defaultFirstDay = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)

// recheckDays is how far back each later sync looks again, to mirror weigh-ins edited or deleted upstream.
const recheckDays = 7

// fitbitSync is one sync of a Fitbit Web API account (OAuth 1.0a or 2.0).
type fitbitSync struct {
	r      *Runner
	j      *job
	acct   store.Account
	client *fitbit.Client
	state  store.SyncState
	zone   string
	first  time.Time // the day the account's history begins
	today  time.Time
}

// runFitbit syncs the account newest first, so current numbers show after the first window while older years
// fill in. A first sync (or one that was interrupted) walks back from the newest day it lacks to the account's
// first day in weight-log windows, asking the body time series where the weigh-ins are when the span is long
// enough for that to pay (see LowerBound). A later sync fetches only the days since the last one plus a re-check
// of the last week, whose answer replaces what is stored (edits and deletions upstream are mirrored). Every
// window is committed with the sync state in one transaction, so a crash loses and duplicates nothing.
func (r *Runner) runFitbit(ctx context.Context, acct store.Account, j *job) error {
	client, err := r.clients.Fitbit(ctx, acct)
	if err != nil {
		return fmt.Errorf("syncer: client for account %d: %w", acct.ID, err)
	}
	client.ObserveRateLimit(func(l fitbit.RateLimit) {
		r.mu.Lock()
		j.limit, j.limitSeen = l, r.now()
		r.mu.Unlock()
	})
	s := &fitbitSync{r: r, j: j, acct: acct, client: client}
	if s.state, err = r.store.SyncState(ctx, acct.ID); err != nil {
		return err
	}
	if err := s.profile(ctx); err != nil {
		return err
	}
	if s.state.Newest != "" {
		if err := s.recent(ctx); err != nil {
			return err
		}
	}
	if !s.state.Complete {
		return s.backfill(ctx)
	}
	return nil
}

// profile learns the time zone and the first day. A later sync of a complete history skips it: one request saved
// on every scheduled sync.
func (s *fitbitSync) profile(ctx context.Context) error {
	s.zone, s.first = s.acct.TimeZone, parseDay(s.acct.MemberSince, defaultFirstDay)
	if !s.state.Complete || s.acct.TimeZone == "" {
		var p fitbit.Profile
		if err := s.r.do(ctx, s.j, func() (err error) { p, err = s.client.Profile(ctx); return err }); err != nil {
			return err
		}
		acct, err := s.r.store.UpsertAccount(ctx, store.Account{
			Provider: s.acct.Provider, ExternalUserID: s.acct.ExternalUserID, DisplayName: displayName(p),
			TimeZone: p.TimeZone, HeightCm: p.HeightCm, MemberSince: p.MemberSince,
		})
		if err != nil {
			return fmt.Errorf("syncer: save profile: %w", err)
		}
		s.acct, s.zone, s.first = acct, p.TimeZone, parseDay(p.MemberSince, defaultFirstDay)
	}
	s.today = fitbit.Day(s.r.now().In(location(s.zone)))
	if s.first.After(s.today) {
		s.first = s.today
	}
	return nil
}

// recent fetches from a week before the newest synced day up to today, mirroring what the provider says.
func (s *fitbitSync) recent(ctx context.Context) error {
	from := parseDay(s.state.Newest, s.today).AddDate(0, 0, -recheckDays)
	if from.Before(s.first) {
		from = s.first
	}
	for _, w := range plainWindows(from, s.today) {
		next := s.state
		next.Newest = fitbit.FormatDate(s.today)
		if err := s.fetch(ctx, w, true, next); err != nil {
			return err
		}
	}
	return nil
}

// backfill walks from the newest day not yet fetched back to the first day.
func (s *fitbitSync) backfill(ctx context.Context) error {
	end := s.today
	if s.state.Oldest != "" {
		end = parseDay(s.state.Oldest, s.today).AddDate(0, 0, -1)
	}
	if s.state.Newest == "" {
		s.state.Newest = fitbit.FormatDate(s.today)
	}
	for !end.Before(s.first) {
		chunkStart := end.AddDate(0, 0, -(fitbit.MaxSeriesRange - 1))
		if chunkStart.Before(s.first) {
			chunkStart = s.first
		}
		windows := plainWindows(chunkStart, end)
		if worthSeries(s.first, end) {
			var days []time.Time
			if err := s.r.do(ctx, s.j, func() (err error) { days, err = s.client.WeightDays(ctx, chunkStart, end); return err }); err != nil {
				return err
			}
			windows = coverWindows(newestFirst(days))
			for i := range windows {
				// Days before the chunk belong to the next chunk's plan.
				windows[i].start = maxDay(windows[i].start, chunkStart)
			}
		}
		for _, w := range windows {
			next := s.state
			next.Oldest = fitbit.FormatDate(w.start)
			if err := s.fetch(ctx, w, false, next); err != nil {
				return err
			}
		}
		// The series said the rest of the chunk is empty: the backfill has covered it.
		next := s.state
		next.Oldest = fitbit.FormatDate(chunkStart)
		next.Complete = !chunkStart.After(s.first)
		if err := s.commit(ctx, window{chunkStart, chunkStart}, nil, false, next); err != nil {
			return err
		}
		end = chunkStart.AddDate(0, 0, -1)
	}
	return nil
}

// fetch gets one window's weight logs and commits them with the sync state that follows.
func (s *fitbitSync) fetch(ctx context.Context, w window, mirror bool, next store.SyncState) error {
	var logs []fitbit.WeightLog
	if err := s.r.do(ctx, s.j, func() (err error) { logs, err = s.client.WeightLogs(ctx, w.start, w.end); return err }); err != nil {
		return err
	}
	if err := s.commit(ctx, w, measurements(s.acct, s.zone, logs), mirror, next); err != nil {
		return err
	}
	s.r.update(s.j, func(st *Status) {
		st.Fetched += len(logs)
		st.Oldest = s.state.Oldest
		st.Progress = progress(s.first, s.today, parseDay(s.state.Oldest, s.today))
		st.Message = "Fetched weigh-ins back to " + st.Oldest + "."
	})
	markFirst(s.j)
	return nil
}

func (s *fitbitSync) commit(ctx context.Context, w window, ms []store.Measurement, mirror bool, next store.SyncState) error {
	_, err := s.r.store.CommitWindow(ctx, store.Window{
		AccountID: s.acct.ID, Provider: s.acct.Provider, From: fitbit.FormatDate(w.start), To: fitbit.FormatDate(w.end),
		Rows: ms, Mirror: mirror, State: next,
	})
	if err != nil {
		return fmt.Errorf("syncer: store weigh-ins %s..%s: %w", fitbit.FormatDate(w.start), fitbit.FormatDate(w.end), err)
	}
	s.state = next
	return nil
}

func measurements(acct store.Account, zone string, logs []fitbit.WeightLog) []store.Measurement {
	ms := make([]store.Measurement, 0, len(logs))
	for _, l := range logs {
		m := store.Measurement{
			AccountID:  acct.ID,
			Provider:   acct.Provider,
			ExternalID: strconv.FormatInt(l.LogID, 10),
			Date:       l.Date,
			Time:       l.Time,
			TimeZone:   zone,
			WeightKg:   l.Weight,
			FatPct:     l.Fat,
			Source:     l.Source,
			LogID:      l.LogID,
		}
		if l.BMI > 0 {
			bmi := l.BMI
			m.BMI = &bmi
		}
		ms = append(ms, m)
	}
	return ms
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
	if d, err := fitbit.ParseDate(s); err == nil {
		return d
	}
	return fallback
}

func displayName(p fitbit.Profile) string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.FullName
}

// location returns the profile's zone, or UTC when the name is unknown to this machine.
func location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}
