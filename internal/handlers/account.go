package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/importer"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
)

// currentAccount returns the account this browser shows in its header: the one it connected, or else (a local,
// single-person app) the most recently connected account, which covers a token imported from config.ini.
// It returns store.ErrNotFound when no account is connected.
func (h *Handler) currentAccount(r *http.Request) (store.Account, error) {
	ctx := r.Context()
	if id := sessionAccount(h.session(r)); id != 0 {
		acct, err := h.store.Account(ctx, id)
		if err == nil {
			_, err = h.store.Credentials(ctx, id)
			if errors.Is(err, store.ErrNeedsReconnect) {
				acct.NeedsReconnect, err = true, nil // the pages offer Reconnect
			}
			if err == nil {
				return acct, nil
			}
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.Account{}, err
		}
	}
	return h.store.ConnectedAccount(ctx)
}

// syncView is one connected account as the page header shows it: its provider's name and its sync.
type syncView struct {
	Account store.Account
	Name    string // the provider's name: "Fitbit", "Google Health"
	Status  syncer.Status
	// SevenDays: Google refused a grant that had just turned 7 days old, the lifetime it gives refresh tokens
	// while the OAuth client is in "Testing".
	SevenDays bool
}

// syncViews reads every connected account's sync status, then the accounts: whatever a sync finished in between
// shows, so a page never claims "up to date" over rows it did not read.
func (h *Handler) syncViews(ctx context.Context) ([]syncView, error) {
	accts, err := h.store.ConnectedAccounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]syncView, 0, len(accts))
	for _, a := range accts {
		st := h.sync.Status(a.ID)
		if a, err = h.store.Account(ctx, a.ID); err != nil {
			return nil, err
		}
		name, testing := a.Provider, time.Duration(0)
		if p, ok := h.provider(a.Provider); ok {
			name, testing = p.Info().Name, p.Info().TestingGrant
		}
		v := syncView{Account: a, Name: name, Status: st}
		if a.NeedsReconnect && testing > 0 {
			granted, saved, err := h.store.GrantedAt(ctx, a.ID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			v.SevenDays = err == nil && testingGrantEnded(granted, saved, a.UpdatedAt, testing)
		}
		out = append(out, v)
	}
	return out, nil
}

// testingGrantEnded reports whether a refusal at refused is what an unpublished client's grant lifetime explains:
// the grant still worked (saved, its last refresh) before it reached that age, and was refused once it had (an
// hour's slack for clocks).
func testingGrantEnded(granted, saved, refused time.Time, lifetime time.Duration) bool {
	end := granted.Add(lifetime)
	return saved.Before(end) && !refused.Before(end.Add(-time.Hour))
}

// history is what the pages show: the person's whole history, whichever sources it came from.
type history struct {
	acct     *store.Account // the account this browser shows, nil when none is connected
	syncs    []syncView     // every connected account, read before the rows
	rows     []store.Measurement
	heightCm float64   // for BMI where a weigh-in has none; 0 unknown
	unit     body.Unit // the connected account's own unit, "" unknown
}

// history returns the connected accounts and the merged history, oldest first, or store.ErrNotFound when there
// is neither.
func (h *Handler) history(r *http.Request) (history, error) {
	ctx := r.Context()
	var hist history
	var err error
	if hist.syncs, err = h.syncViews(ctx); err != nil {
		return history{}, err
	}
	acct, err := h.currentAccount(r)
	switch {
	case err == nil:
		for i := range hist.syncs {
			if hist.syncs[i].Account.ID == acct.ID {
				hist.acct = &hist.syncs[i].Account
			}
		}
	case !errors.Is(err, store.ErrNotFound):
		return history{}, err
	}
	if hist.rows, err = h.store.History(ctx); err != nil {
		return history{}, err
	}
	if len(hist.syncs) == 0 && len(hist.rows) == 0 {
		return history{}, store.ErrNotFound
	}
	if hist.acct != nil && hist.acct.HeightCm > 0 {
		hist.heightCm = hist.acct.HeightCm
	} else if hist.heightCm, err = h.store.KnownHeight(ctx); err != nil {
		return history{}, err
	}
	if hist.acct != nil {
		hist.unit, _ = body.ParseUnit(hist.acct.WeightUnit)
	}
	for _, s := range hist.syncs {
		if hist.unit == "" {
			hist.unit, _ = body.ParseUnit(s.Account.WeightUnit)
		}
	}
	return hist, nil
}

// settingsAccount is the account settings are saved on: the connected one, or else the one imports go to.
func (h *Handler) settingsAccount(r *http.Request) (store.Account, error) {
	acct, err := h.currentAccount(r)
	if errors.Is(err, store.ErrNotFound) {
		return h.store.FindAccount(r.Context(), importer.AccountProvider, importer.AccountUserID)
	}
	return acct, err
}

// ConnectToken stores a provider's grant as a connected account, one more source of the history, and returns
// it. The provider names the person; connecting the same person again reconnects the same source (clearing a
// pending Reconnect) rather than adding one.
func (h *Handler) ConnectToken(ctx context.Context, providerName string, tok connect.Token) (store.Account, error) {
	p, ok := h.provider(providerName)
	if !ok {
		return store.Account{}, fmt.Errorf("handlers: unknown provider %q", providerName)
	}
	prof, err := p.Identify(ctx, p.Client(ctx, tok), tok)
	if err != nil {
		return store.Account{}, fmt.Errorf("handlers: identify the %s user: %w", p.Info().Name, err)
	}
	if prof.UserID == "" {
		return store.Account{}, fmt.Errorf("handlers: %s did not name the signed-in user", p.Info().Name)
	}
	acct, err := h.store.UpsertAccount(ctx, store.Account{
		Provider: providerName, ExternalUserID: prof.UserID, DisplayName: prof.DisplayName, TimeZone: prof.TimeZone,
		HeightCm: prof.HeightCm, MemberSince: prof.MemberSince, WeightUnit: prof.Unit, HeightUnit: prof.HeightUnit,
	})
	if err != nil {
		return store.Account{}, fmt.Errorf("handlers: save account: %w", err)
	}
	creds := store.Credentials{Kind: tok.Kind, Token: tok.Token, Secret: tok.Secret, RefreshToken: tok.RefreshToken, Expiry: tok.Expiry, Scope: tok.Scope}
	if err := h.store.SaveCredentials(ctx, acct.ID, creds); err != nil {
		return store.Account{}, fmt.Errorf("handlers: save credentials: %w", err)
	}
	if acct.NeedsReconnect {
		if err := h.store.SetNeedsReconnect(ctx, acct.ID, false); err != nil {
			return store.Account{}, err
		}
		acct.NeedsReconnect = false
	}
	if h.demo {
		if err := h.store.SetSourceDetail(ctx, acct.SourceID, store.DemoDetail); err != nil {
			return store.Account{}, err
		}
	}
	return acct, nil
}

// StartSync begins a sync of the account in the background.
func (h *Handler) StartSync(accountID int64) { h.sync.Start(accountID) }

// SyncEvery syncs every connected account each d while the app runs (d <= 0: never).
func (h *Handler) SyncEvery(d time.Duration) { h.sync.Every(d) }

// syncProviders gives the syncer each account's provider, and clients whose credentials come through the token
// manager, the app's one path to an account's tokens.
type syncProviders struct{ h *Handler }

func (s syncProviders) Provider(id string) (provider.Provider, bool) { return s.h.provider(id) }

// Client refuses an account of the other mode before its tokens are touched: in demo mode a real account's
// tokens would go to the emulator (and its refusal mark the account for reconnect), and the emulator's made-up
// history would land in the real source.
func (s syncProviders) Client(ctx context.Context, acct store.Account) (*http.Client, error) {
	src, err := s.h.store.Source(ctx, acct.SourceID)
	if err != nil {
		return nil, err
	}
	if demo := src.Detail == store.DemoDetail; demo != s.h.demo {
		return nil, otherMode{demo: demo}
	}
	return s.h.tokens.Client(ctx, acct)
}

// otherMode is the sync of an account connected in the other mode (demo or real), which is not run.
type otherMode struct{ demo bool }

func (e otherMode) Error() string { return "handlers: the account belongs to the other mode" }

// Sentence says why the account does not sync.
func (e otherMode) Sentence() string {
	if e.demo {
		return "This account was connected in demo mode, to the built-in emulator: it syncs only in demo mode."
	}
	return "This is a real account: it does not sync in demo mode, so its data stays as it is. Start without -demo to sync it."
}
