package syncer

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// Limits on retrying one request.
const (
	maxRetries     = 5
	maxBackoff     = 30 * time.Second
	defaultRetry   = time.Minute // a 429 without Retry-After
	maxRateWaits   = 20          // 429s in a row before giving up
	budgetReserve  = 0           // requests left unspent in the hourly budget
	defaultBackoff = time.Second
)

// do sends one request the polite way. It waits out a spent hourly budget before sending (no request leaves
// before the reset), waits as told on 429, and retries server errors, timeouts, resets and unreadable answers
// with capped exponential back-off and jitter. Each attempt counts as a request.
func (r *Runner) do(ctx context.Context, j *job, src provider.Source, f func() error) error {
	retries, waits := 0, 0
	for {
		if err := r.waitBudget(ctx, j); err != nil {
			return err
		}
		err := f()
		lim := src.RateLimit()
		r.mu.Lock()
		if lim.Known {
			j.limit, j.limitSeen = lim, r.now()
		}
		j.status.Requests++
		r.changes.Add(1)
		r.mu.Unlock()
		if err == nil {
			return nil
		}
		if wait, ok := rateLimited(err); ok && waits < maxRateWaits {
			waits++
			if err := r.wait(ctx, j, wait, "The provider asked bodystats to slow down."); err != nil {
				return err
			}
			continue
		}
		if !retryable(err) || retries >= maxRetries {
			return err
		}
		d := min(r.opts.Backoff<<retries, maxBackoff)
		retries++
		d = d/2 + rand.N(d/2+1) // jitter: syncs that failed together do not retry together
		if err := r.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// waitBudget waits until the hourly budget refills when the last answer said it was spent.
func (r *Runner) waitBudget(ctx context.Context, j *job) error {
	r.mu.Lock()
	lim, seen := j.limit, j.limitSeen
	r.mu.Unlock()
	if !lim.Known || lim.Remaining > budgetReserve {
		return nil
	}
	resetAt := seen.Add(lim.Reset)
	if d := resetAt.Sub(r.now()); d > 0 {
		if err := r.wait(ctx, j, d, r.providerName(j)+"'s request budget is spent."); err != nil {
			return err
		}
	}
	r.mu.Lock()
	j.limit.Known = false // the next answer says what the new window holds
	r.mu.Unlock()
	return nil
}

// wait shows the sync as waiting until the next request may go, then sleeps.
func (r *Runner) wait(ctx context.Context, j *job, d time.Duration, why string) error {
	next := r.now().Add(d)
	r.update(j, func(s *Status) {
		s.State, s.NextAt = StateWaiting, next
		s.Message = why + " Waiting until " + next.Format("15:04:05") + " before the next request."
	})
	err := r.sleep(ctx, d)
	r.update(j, func(s *Status) { s.State, s.NextAt = StateRunning, time.Time{} })
	return err
}

func (r *Runner) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func rateLimited(err error) (time.Duration, bool) {
	if !errors.Is(err, provider.ErrRateLimited) {
		return 0, false
	}
	return orDefault(provider.RetryAfter(err)), true
}

func orDefault(d time.Duration) time.Duration {
	if d <= 0 {
		return defaultRetry
	}
	return d
}

func retryable(err error) bool { return provider.Retryable(err) }

func (r *Runner) providerName(j *job) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if j.provider == nil {
		return "The provider"
	}
	return j.provider.Info().Name
}
