package syncer

import (
	"context"
	"fmt"

	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
)

// commit stores a step's readings, mirror and cursor in one transaction, then reports them.
func (r *Runner) commit(ctx context.Context, j *job, acct store.Account, step provider.Step) error {
	w := store.Window{SourceID: acct.SourceID, Rows: measurements(acct, step.Readings), Cursor: step.Cursor, Done: step.Done}
	if m := step.Mirror; m != nil {
		w.Mirror, w.From, w.To, w.Keep = true, m.From, m.To, m.Keep
	}
	if _, err := r.store.CommitWindow(ctx, w); err != nil {
		return fmt.Errorf("syncer: store weigh-ins: %w", err)
	}
	r.update(j, func(s *Status) {
		s.Fetched += len(step.Readings)
		if step.Progress > 0 {
			s.Progress = step.Progress
		}
		if step.Oldest != "" {
			s.Oldest = step.Oldest
		}
		if s.Progress > 0 && s.Progress < 1 && s.Oldest != "" {
			s.Message = "Fetched weigh-ins back to " + s.Oldest + "."
		} else {
			s.Message = fmt.Sprintf("Fetched %d weigh-ins so far.", s.Fetched)
		}
	})
	markFirst(j)
	return nil
}

func (r *Runner) saveProfile(ctx context.Context, acct store.Account, p provider.Profile) (store.Account, error) {
	stored, err := r.store.UpsertAccount(ctx, store.Account{
		Provider: acct.Provider, ExternalUserID: acct.ExternalUserID, DisplayName: p.DisplayName, TimeZone: p.TimeZone,
		HeightCm: p.HeightCm, MemberSince: p.MemberSince, WeightUnit: p.Unit, HeightUnit: p.HeightUnit,
	})
	if err != nil {
		return acct, fmt.Errorf("syncer: save profile: %w", err)
	}
	return stored, nil
}

func accountOf(a store.Account) provider.Account {
	return provider.Account{ID: a.ID, UserID: a.ExternalUserID, Profile: provider.Profile{
		UserID: a.ExternalUserID, DisplayName: a.DisplayName, TimeZone: a.TimeZone, HeightCm: a.HeightCm,
		Unit: a.WeightUnit, HeightUnit: a.HeightUnit, MemberSince: a.MemberSince,
	}}
}

// measurements turns a provider's readings into the source's rows.
func measurements(acct store.Account, rs []provider.Reading) []store.Measurement {
	ms := make([]store.Measurement, 0, len(rs))
	for _, r := range rs {
		ms = append(ms, store.Measurement{
			SourceID: acct.SourceID, Provider: acct.Provider, ExternalID: r.ExternalID, Date: r.Date, Time: r.Clock,
			TimeZone: r.Zone, WeightKg: r.WeightKg, FatPct: r.FatPct, BMI: r.BMI, Source: r.Device, LogID: r.LogID,
			Method: store.Method(r.Method), Unclaimed: r.Unclaimed,
		})
	}
	return ms
}
