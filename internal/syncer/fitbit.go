package syncer

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/store"
)

// defaultFirstDay bounds the backfill when the profile names no memberSince: Fitbit accounts begin in 2008.
var defaultFirstDay = time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)

// runFitbit syncs one Fitbit Web API account: the profile, then weight logs in windows of fitbit.MaxLogRange days
// from today back to the day the account began, newest first so current numbers are on the dashboard after
// the first request. Weight logs carry body fat when it was measured, so fat logs are not fetched.
// A history of N days takes 1 + ceil(N/31) requests.
func (r *Runner) runFitbit(ctx context.Context, acct store.Account, j *job) error {
	client, err := r.clients.Fitbit(ctx, acct)
	if err != nil {
		return fmt.Errorf("syncer: client for account %d: %w", acct.ID, err)
	}
	profile, err := client.Profile(ctx)
	r.update(j, func(s *Status) { s.Requests++ })
	if err != nil {
		return err
	}
	acct, err = r.store.UpsertAccount(ctx, store.Account{
		Provider:       acct.Provider,
		ExternalUserID: acct.ExternalUserID,
		DisplayName:    displayName(profile),
		TimeZone:       profile.TimeZone,
		HeightCm:       profile.HeightCm,
		MemberSince:    profile.MemberSince,
	})
	if err != nil {
		return fmt.Errorf("syncer: save profile: %w", err)
	}

	today := fitbit.Day(r.now().In(location(profile.TimeZone)))
	first := defaultFirstDay
	if d, err := fitbit.ParseDate(profile.MemberSince); err == nil && !d.After(today) {
		first = d
	}
	for end := today; !end.Before(first); end = end.AddDate(0, 0, -fitbit.MaxLogRange) {
		start := end.AddDate(0, 0, -(fitbit.MaxLogRange - 1))
		if start.Before(first) {
			start = first
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		logs, err := client.WeightLogs(ctx, start, end)
		r.update(j, func(s *Status) { s.Requests++ })
		if err != nil {
			return err
		}
		if _, err := r.store.UpsertMeasurements(ctx, measurements(acct, profile.TimeZone, logs)); err != nil {
			return fmt.Errorf("syncer: store weigh-ins %s..%s: %w", fitbit.FormatDate(start), fitbit.FormatDate(end), err)
		}
		r.update(j, func(s *Status) {
			s.Fetched += len(logs)
			s.Oldest = fitbit.FormatDate(start)
			s.Message = "Fetched weigh-ins back to " + s.Oldest + "."
		})
		markFirst(j)
	}
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
