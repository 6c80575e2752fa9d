package syncer

import (
	"context"
	"fmt"
	"time"

	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/store"
)

// runGoogle syncs a Google Health API account: the profile (membership start), then every body-fat reading and
// every weight reading in pages of googlehealth.MaxPageSize, the fewest requests the API allows: a history of
// W weigh-ins and F body-fat readings takes 1 + ceil(F/10000) + ceil(W/10000) requests. Body fat comes first
// so each weigh-in is stored with the reading its scale took at the same instant. The API has no BMI; pages
// compute it from the height.
func (r *Runner) runGoogle(ctx context.Context, acct store.Account, j *job) error {
	client, err := r.clients.Google(ctx, acct)
	if err != nil {
		return fmt.Errorf("syncer: client for account %d: %w", acct.ID, err)
	}
	profile, err := client.Profile(ctx)
	r.update(j, func(s *Status) { s.Requests++ })
	if err != nil {
		return err
	}
	if profile.MembershipStart != "" {
		acct.MemberSince = profile.MembershipStart
		if acct, err = r.store.UpsertAccount(ctx, acct); err != nil {
			return fmt.Errorf("syncer: save profile: %w", err)
		}
	}

	fat := map[time.Time]float64{}
	err = eachPage(ctx, j, r, client.BodyFat, func(samples []googlehealth.Sample) error {
		for _, s := range samples {
			fat[s.Time.UTC()] = s.Value
		}
		return nil
	})
	if err != nil {
		return err
	}
	return eachPage(ctx, j, r, client.Weights, func(samples []googlehealth.Sample) error {
		if _, err := r.store.UpsertMeasurements(ctx, googleMeasurements(acct, samples, fat)); err != nil {
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

// eachPage lists every page of one data type, unbounded in time, and hands each page's samples to f.
func eachPage(ctx context.Context, j *job, r *Runner, list listFunc, f func([]googlehealth.Sample) error) error {
	token := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		page, err := list(ctx, time.Time{}, time.Time{}, googlehealth.MaxPageSize, token)
		r.update(j, func(s *Status) { s.Requests++ })
		if err != nil {
			return err
		}
		if err := f(page.Samples); err != nil {
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
