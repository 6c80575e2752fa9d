package syncer

import (
	"context"
	"fmt"
	"time"

	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/store"
)

// runGoogle syncs a Google Health API account: the profile (membership start), then body-fat readings and weight
// readings in pages of googlehealth.MaxPageSize, the fewest requests the API allows: a history of W weigh-ins and
// F body-fat readings takes 1 + ceil(F/10000) + ceil(W/10000) requests. Body fat comes first so each weigh-in is
// stored with the reading its scale took at the same instant. A later sync asks only for the readings since a
// week before the last one, and mirrors that week: deletions upstream are removed, imported rows never.
func (r *Runner) runGoogle(ctx context.Context, acct store.Account, j *job) error {
	client, err := r.clients.Google(ctx, acct)
	if err != nil {
		return fmt.Errorf("syncer: client for account %d: %w", acct.ID, err)
	}
	state, err := r.store.SyncState(ctx, acct.ID)
	if err != nil {
		return err
	}
	var profile googlehealth.Profile
	if err := r.do(ctx, j, func() (err error) { profile, err = client.Profile(ctx); return err }); err != nil {
		return err
	}
	if profile.MembershipStart != "" {
		acct.MemberSince = profile.MembershipStart
		if acct, err = r.store.UpsertAccount(ctx, acct); err != nil {
			return fmt.Errorf("syncer: save profile: %w", err)
		}
	}
	today := r.now().UTC().Format(time.DateOnly)
	done := store.SyncState{Newest: today, Oldest: acct.MemberSince, Complete: true}
	var since time.Time
	mirrorFrom := ""
	if state.Complete {
		newest := parseDay(state.Newest, r.now().UTC())
		since = newest.AddDate(0, 0, -(recheckDays + 1)) // a day's margin for the reader's UTC offset
		mirrorFrom = newest.AddDate(0, 0, -recheckDays).Format(time.DateOnly)
	}

	fat := map[time.Time]float64{}
	err = r.eachPage(ctx, j, client.BodyFat, since, func(samples []googlehealth.Sample, _ bool) error {
		for _, s := range samples {
			fat[s.Time.UTC()] = s.Value
		}
		return nil
	})
	if err != nil {
		return err
	}
	var recent []store.Measurement
	return r.eachPage(ctx, j, client.Weights, since, func(samples []googlehealth.Sample, last bool) error {
		ms := googleMeasurements(acct, samples, fat)
		w := store.Window{AccountID: acct.ID, Provider: acct.Provider, Rows: ms, State: state}
		if mirrorFrom != "" {
			// A re-check is committed whole once every page is in, so the mirror sees the full answer.
			if recent = append(recent, ms...); !last {
				return nil
			}
			w.Rows, w.Mirror, w.From, w.To = recent, true, mirrorFrom, "9999-12-31"
		}
		if last {
			w.State = done
		}
		if _, err := r.store.CommitWindow(ctx, w); err != nil {
			return fmt.Errorf("syncer: store weigh-ins: %w", err)
		}
		r.update(j, func(s *Status) {
			s.Fetched += len(samples)
			s.Message = fmt.Sprintf("Fetched %d weigh-ins so far.", s.Fetched)
		})
		markFirst(j)
		return nil
	})
}

type listFunc func(ctx context.Context, from, to time.Time, pageSize int, pageToken string) (googlehealth.Page, error)

// eachPage lists every page of one data type from since on (zero: all) and hands each page's samples to f,
// telling it whether the page is the last.
func (r *Runner) eachPage(ctx context.Context, j *job, list listFunc, since time.Time, f func([]googlehealth.Sample, bool) error) error {
	token := ""
	for {
		var page googlehealth.Page
		err := r.do(ctx, j, func() (err error) {
			page, err = list(ctx, since, time.Time{}, googlehealth.MaxPageSize, token)
			return err
		})
		if err != nil {
			return err
		}
		if err := f(page.Samples, page.NextPageToken == ""); err != nil {
			return err
		}
		if page.NextPageToken == "" {
			return nil
		}
		token = page.NextPageToken
	}
}

// googleMeasurements turns weight samples into measurements. Google gives each reading's UTC offset rather than a
// zone name, so the offset is what is kept as the time zone ("+01:00").
func googleMeasurements(acct store.Account, samples []googlehealth.Sample, fat map[time.Time]float64) []store.Measurement {
	ms := make([]store.Measurement, 0, len(samples))
	for _, s := range samples {
		m := store.Measurement{
			AccountID:  acct.ID,
			Provider:   acct.Provider,
			ExternalID: s.ID,
			Date:       s.Date,
			Time:       s.Clock,
			TimeZone:   time.Unix(0, 0).In(time.FixedZone("", int(s.Offset.Seconds()))).Format("-07:00"),
			WeightKg:   s.Value,
			Source:     s.Source,
		}
		if m.Source == "" {
			m.Source = "Google Health"
		}
		if pct, ok := fat[s.Time.UTC()]; ok {
			m.FatPct = &pct
		}
		ms = append(ms, m)
	}
	return ms
}
