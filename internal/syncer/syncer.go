// Package syncer fetches an account's weigh-ins from its provider into the store, newest first, one sync per account at a time.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
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
	Gone     bool      // the last sync failed because the provider's API is switched off
}

// Options tune the engine; the zero value is the production behaviour.
type Options struct {
	Backoff time.Duration // the first retry's delay, doubling up to 30 s; default 1 s
}

// Providers gives the sync each account's provider and an HTTP client authorised as the account.
type Providers interface {
	Provider(id string) (provider.Provider, bool)
	// Client returns a client that authorises every request as the account (the app's token manager).
	Client(ctx context.Context, acct store.Account) (*http.Client, error)
}

// Runner runs syncs in the background.
type Runner struct {
	store     *store.DB
	providers Providers
	opts      Options
	log       *slog.Logger
	now       func() time.Time

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	jobs    map[int64]*job
	changes atomic.Uint64 // see Changes
}

type job struct {
	status    Status
	limit     provider.RateLimit // what the last answer said of the request budget
	limitSeen time.Time          // when it arrived
	provider  provider.Provider  // set once the sync knows it, for messages
	first     chan struct{}      // closed when the newest window is stored, or the sync ends
	done      chan struct{}      // closed when the sync ends
}

// New returns a Runner that stores into st and reaches the providers through ps.
func New(st *store.DB, ps Providers, opts Options, log *slog.Logger) *Runner {
	if opts.Backoff <= 0 {
		opts.Backoff = defaultBackoff
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Runner{store: st, providers: ps, opts: opts, log: log, now: time.Now, ctx: ctx, cancel: cancel, jobs: map[int64]*job{}}
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
	r.changes.Add(1)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.finish(accountID, j, r.run(r.ctx, accountID, j))
	}()
	return Handle{j}
}

// run syncs the account through its provider's Source, committing each step with its cursor. A sync that
// succeeds clears a pending Reconnect: the stored tokens work again.
func (r *Runner) run(ctx context.Context, accountID int64, j *job) error {
	acct, err := r.store.Account(ctx, accountID)
	if err != nil {
		return fmt.Errorf("syncer: account %d: %w", accountID, err)
	}
	p, ok := r.providers.Provider(acct.Provider)
	if !ok {
		return fmt.Errorf("syncer: account %d: provider %q is not configured: %w", acct.ID, acct.Provider, errNotConfigured)
	}
	r.update(j, func(*Status) { j.provider = p })
	hc, err := r.providers.Client(ctx, acct)
	if err != nil {
		return fmt.Errorf("syncer: client for account %d: %w", acct.ID, err)
	}
	cursor, err := r.store.Cursor(ctx, acct.SourceID)
	if err != nil {
		return err
	}
	src, err := p.Source(provider.SourceEnv{HTTP: hc, Account: accountOf(acct), Cursor: cursor, Now: r.now})
	if err != nil {
		return fmt.Errorf("syncer: account %d: %w", acct.ID, err)
	}
	for {
		var step provider.Step
		if err := r.do(ctx, j, src, func() (err error) { step, err = src.Next(ctx); return err }); err != nil {
			return err
		}
		if step.Profile != nil {
			if acct, err = r.saveProfile(ctx, acct, *step.Profile); err != nil {
				return err
			}
		}
		if len(step.Readings) > 0 || step.Mirror != nil || step.Cursor != nil || step.Done {
			if err := r.commit(ctx, j, acct, step); err != nil {
				return err
			}
		}
		if step.Done {
			break
		}
	}
	if acct.NeedsReconnect {
		return r.store.SetNeedsReconnect(ctx, acct.ID, false)
	}
	return nil
}

var errNotConfigured = errors.New("syncer: provider not configured")

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
	r.changes.Add(1)
	r.mu.Unlock()
}

// Changes counts the changes to any sync's status: a page that shows the syncs can be reused while it stays the
// same.
func (r *Runner) Changes() uint64 { return r.changes.Load() }

func (r *Runner) finish(accountID int64, j *job, err error) {
	msg := ""
	if err != nil {
		msg = r.describe(j, err)
	}
	r.update(j, func(s *Status) {
		if err != nil {
			s.State, s.Message, s.Gone = StateFailed, msg, errors.Is(err, provider.ErrGone)
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

// describe turns a sync error into a sentence naming the provider. Stored data is never affected.
func (r *Runner) describe(j *job, err error) string {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "This account is not connected. Please connect it again."
	case errors.Is(err, errNotConfigured):
		return "This account's provider is not configured in bodystats any more. Your stored weigh-ins are kept."
	}
	var s interface{ Sentence() string }
	if errors.As(err, &s) {
		return s.Sentence()
	}
	r.mu.Lock()
	p := j.provider
	r.mu.Unlock()
	if p != nil {
		return provider.Describe(p, err)
	}
	return "The sync stopped because of an unexpected problem. Your stored weigh-ins are safe."
}
