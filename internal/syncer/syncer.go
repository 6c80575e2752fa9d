// Package syncer fetches an account's weigh-ins from its provider into the store, newest first, one sync per account at a time.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/tokens"
)

// States reported by Status, as GET /sync/status names them.
const (
	StateIdle    = "idle"
	StateRunning = "running"
	StateWaiting = "waiting"
	StateFailed  = "failed"
)

// Status is what the app knows about an account's current or last sync.
type Status struct {
	State    string
	Requests int       // requests sent to the provider by the current or last sync
	Fetched  int       // weigh-ins received by the current or last sync
	Message  string    // a sentence for the person
	Oldest   string    // the oldest date covered so far (YYYY-MM-DD)
	Progress float64   // the share of the history fetched, 0..1
	NextAt   time.Time // while waiting: when the next request may go
}

// Options tune the engine; the zero value is the production behaviour.
type Options struct {
	Backoff time.Duration // the first retry's delay, doubling up to 30 s; default 1 s
}

// Clients gives the sync an API client authorised as the account, for the API its provider speaks.
type Clients interface {
	// GoogleHealth reports whether the account's provider is the Google Health API (else the Fitbit Web API).
	GoogleHealth(acct store.Account) bool
	Fitbit(ctx context.Context, acct store.Account) (*fitbit.Client, error)
	Google(ctx context.Context, acct store.Account) (*googlehealth.Client, error)
}

// Runner runs syncs in the background.
type Runner struct {
	store   *store.DB
	clients Clients
	opts    Options
	log     *slog.Logger
	now     func() time.Time

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu   sync.Mutex
	jobs map[int64]*job
}

type job struct {
	status    Status
	limit     fitbit.RateLimit // the last answer's rate-limit headers
	limitSeen time.Time        // when they were read
	first     chan struct{}    // closed when the newest window is stored, or the sync ends
	done      chan struct{}    // closed when the sync ends
}

// New returns a Runner that stores into st and reaches providers through clients.
func New(st *store.DB, clients Clients, opts Options, log *slog.Logger) *Runner {
	if opts.Backoff <= 0 {
		opts.Backoff = defaultBackoff
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{store: st, clients: clients, opts: opts, log: log, now: time.Now, ctx: ctx, cancel: cancel, jobs: map[int64]*job{}}
}

// Handle lets a caller wait for a sync.
type Handle struct{ j *job }

// FirstWindow is closed once the newest weigh-ins are stored (or the sync has ended).
func (h Handle) FirstWindow() <-chan struct{} { return h.j.first }

// Done is closed when the sync has ended.
func (h Handle) Done() <-chan struct{} { return h.j.done }

// Start begins a sync of the account unless one is already running, and returns a handle to the running one.
func (r *Runner) Start(accountID int64) Handle {
	r.mu.Lock()
	defer r.mu.Unlock()
	if j, ok := r.jobs[accountID]; ok && isActive(j.status.State) {
		return Handle{j}
	}
	j := &job{status: Status{State: StateRunning, Message: "Fetching your weigh-ins…"}, first: make(chan struct{}), done: make(chan struct{})}
	r.jobs[accountID] = j
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.finish(accountID, j, r.run(r.ctx, accountID, j))
	}()
	return Handle{j}
}

// run syncs the account from the API its provider speaks. A sync that succeeds clears a pending Reconnect:
// the stored tokens work again.
func (r *Runner) run(ctx context.Context, accountID int64, j *job) error {
	acct, err := r.store.Account(ctx, accountID)
	if err != nil {
		return fmt.Errorf("syncer: account %d: %w", accountID, err)
	}
	if r.clients.GoogleHealth(acct) {
		err = r.runGoogle(ctx, acct, j)
	} else {
		err = r.runFitbit(ctx, acct, j)
	}
	if err == nil && acct.NeedsReconnect {
		err = r.store.SetNeedsReconnect(ctx, acct.ID, false)
	}
	return err
}

// markFirst tells a waiting callback that the newest weigh-ins are stored.
func markFirst(j *job) {
	select {
	case <-j.first:
	default:
		close(j.first)
	}
}

// Status reports the account's current or last sync; an account never synced since start is idle.
func (r *Runner) Status(accountID int64) Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	if j, ok := r.jobs[accountID]; ok {
		return j.status
	}
	return Status{State: StateIdle}
}

// Every starts a sync of each connected account every d until Close (d <= 0: never). An account waiting for
// a reconnect is left alone: its tokens would only be refused again.
func (r *Runner) Every(d time.Duration) {
	if d <= 0 {
		return
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-r.ctx.Done():
				return
			case <-t.C:
			}
			accts, err := r.store.ConnectedAccounts(r.ctx)
			if err != nil {
				r.log.Warn("scheduled sync", "err", err)
				continue
			}
			for _, a := range accts {
				if !a.NeedsReconnect {
					r.Start(a.ID)
				}
			}
		}
	}()
}

// Close stops running syncs at their next request and waits for them: a window is stored whole or not at all.
func (r *Runner) Close() {
	r.cancel()
	r.wg.Wait()
}

func isActive(state string) bool { return state == StateRunning || state == StateWaiting }

func (r *Runner) update(j *job, f func(*Status)) {
	r.mu.Lock()
	f(&j.status)
	r.mu.Unlock()
}

func (r *Runner) finish(accountID int64, j *job, err error) {
	r.update(j, func(s *Status) {
		if err != nil {
			s.State = StateFailed
			s.Message = Describe(err)
			return
		}
		s.State, s.Progress = StateIdle, 1
		s.Message = "Up to date."
	})
	if err != nil {
		r.log.Warn("sync failed", "account", accountID, "err", err)
	} else {
		r.log.Info("sync finished", "account", accountID, "requests", j.status.Requests, "fetched", j.status.Fetched)
	}
	markFirst(j)
	close(j.done)
}

// Describe turns a sync error into a sentence for the person. Stored data is never affected by a failed sync.
func Describe(err error) string {
	switch {
	case errors.Is(err, tokens.ErrReconnect):
		return "The provider no longer accepts this connection (it was revoked or has expired). Please reconnect; your stored weigh-ins are kept."
	case errors.Is(err, fitbit.ErrUnauthorized), errors.Is(err, googlehealth.ErrUnauthorized):
		return "Fitbit no longer accepts this connection. Please reconnect; your stored weigh-ins are kept."
	case errors.Is(err, googlehealth.ErrForbidden):
		return "Google Health did not grant access to weight data. Please reconnect and allow access to health metrics."
	case errors.Is(err, googlehealth.ErrRateLimited):
		return "Google Health's per-minute request limit was reached. Your stored weigh-ins are safe; sync again in a minute."
	case errors.Is(err, googlehealth.ErrUnavailable), errors.Is(err, googlehealth.ErrMalformed), errors.Is(err, googlehealth.ErrUnreachable):
		return "Google Health could not be read just now. Your stored weigh-ins are safe; try syncing again later."
	case errors.Is(err, fitbit.ErrForbidden):
		return "Fitbit did not grant access to weight data. Please reconnect and allow weight and profile access."
	case errors.Is(err, fitbit.ErrRateLimited):
		return "Fitbit's hourly request limit was reached. Your stored weigh-ins are safe; sync again in an hour."
	case errors.Is(err, fitbit.ErrGone):
		return "The legacy Fitbit Web API has been switched off. Your stored weigh-ins are safe."
	case errors.Is(err, fitbit.ErrUnavailable):
		return "Fitbit had a server problem. Your stored weigh-ins are safe; try syncing again later."
	case errors.Is(err, fitbit.ErrMalformed):
		return "Fitbit sent an answer that could not be read. Your stored weigh-ins are safe; try syncing again later."
	case errors.Is(err, fitbit.ErrUnreachable):
		return "Fitbit could not be reached. Check the connection and try syncing again."
	case errors.Is(err, store.ErrNotFound):
		return "This account is not connected. Please connect it again."
	case errors.Is(err, context.Canceled):
		return "The sync was stopped before it finished; it resumes on the next sync."
	}
	return "The sync stopped because of an unexpected problem. Your stored weigh-ins are safe."
}
