package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/importer"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
)

// currentAccount returns the account this browser shows: the one it connected, or else (a local, single-person
// app) the most recently connected account, which covers a token imported from config.ini.
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

// history is what the pages show: the person's whole history, whichever sources it came from.
type history struct {
	acct     *store.Account // the connected account, nil when only imported data exists
	status   syncer.Status  // its sync status, read before the account's flags and the rows
	rows     []store.Measurement
	heightCm float64 // for BMI where a weigh-in has none; 0 unknown
}

// history returns the connected account (if any) and every stored weigh-in, oldest first, or store.ErrNotFound
// when there is neither.
func (h *Handler) history(r *http.Request) (history, error) {
	ctx := r.Context()
	var hist history
	acct, err := h.currentAccount(r)
	switch {
	case err == nil:
		// The status first, then the account again and the rows: whatever a sync finished in between shows.
		hist.status = h.sync.Status(acct.ID)
		if acct, err = h.store.Account(ctx, acct.ID); err != nil {
			return history{}, err
		}
		hist.acct = &acct
	case !errors.Is(err, store.ErrNotFound):
		return history{}, err
	}
	if hist.rows, err = h.store.AllMeasurements(ctx); err != nil {
		return history{}, err
	}
	if hist.acct == nil && len(hist.rows) == 0 {
		return history{}, store.ErrNotFound
	}
	if hist.acct != nil && hist.acct.HeightCm > 0 {
		hist.heightCm = hist.acct.HeightCm
	} else if hist.heightCm, err = h.store.KnownHeight(ctx); err != nil {
		return history{}, err
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

// ConnectToken stores a provider's grant as a connected account and returns it. The person is identified by the
// id the token answer carried or, failing that, by the API; when the Fitbit profile cannot be reached the account
// is kept under Fitbit's alias for the signed-in user, "-", so a token imported at start-up is not lost.
// Connecting again clears a pending Reconnect; the account's measurements are the same rows as before.
func (h *Handler) ConnectToken(ctx context.Context, providerName string, tok connect.Token) (store.Account, error) {
	p, ok := h.provider(providerName)
	if !ok {
		return store.Account{}, fmt.Errorf("handlers: unknown provider %q", providerName)
	}
	acct := store.Account{Provider: providerName, ExternalUserID: tok.UserID}
	if p.Google {
		id, err := googlehealth.NewClient(p.Client(ctx, tok), p.APIURL).Identity(ctx)
		if err != nil {
			return store.Account{}, fmt.Errorf("handlers: identify the Google Health user: %w", err)
		}
		acct.ExternalUserID = id.HealthUserID
		acct.DisplayName = "Google Health user " + id.HealthUserID
	} else if acct.ExternalUserID == "" {
		prof, err := fitbit.NewClient(p.Client(ctx, tok), p.APIURL).Profile(ctx)
		if err != nil {
			h.log.Warn("could not identify the account from its profile", "provider", providerName, "err", err)
			acct.ExternalUserID = "-"
		} else {
			acct.ExternalUserID = prof.EncodedID
			acct.DisplayName = prof.DisplayName
			acct.TimeZone = prof.TimeZone
			acct.HeightCm = prof.HeightCm
			acct.MemberSince = prof.MemberSince
		}
	}
	if acct.DisplayName == "" {
		acct.DisplayName = "Fitbit user " + acct.ExternalUserID
	}
	acct, err := h.store.UpsertAccount(ctx, acct)
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
	return acct, nil
}

// StartSync begins a sync of the account in the background.
func (h *Handler) StartSync(accountID int64) { h.sync.Start(accountID) }

// SyncEvery syncs every connected account each d while the app runs (d <= 0: never).
func (h *Handler) SyncEvery(d time.Duration) { h.sync.Every(d) }

// apiClients gives the sync API clients whose credentials come through the token manager, the app's one path
// to an account's tokens.
type apiClients struct{ h *Handler }

func (c apiClients) GoogleHealth(acct store.Account) bool {
	p, ok := c.h.provider(acct.Provider)
	return ok && p.Google
}

func (c apiClients) Fitbit(ctx context.Context, acct store.Account) (*fitbit.Client, error) {
	hc, apiURL, err := c.authorised(ctx, acct)
	if err != nil {
		return nil, err
	}
	return fitbit.NewClient(hc, apiURL), nil
}

func (c apiClients) Google(ctx context.Context, acct store.Account) (*googlehealth.Client, error) {
	hc, apiURL, err := c.authorised(ctx, acct)
	if err != nil {
		return nil, err
	}
	return googlehealth.NewClient(hc, apiURL), nil
}

func (c apiClients) authorised(ctx context.Context, acct store.Account) (*http.Client, string, error) {
	p, ok := c.h.provider(acct.Provider)
	if !ok {
		return nil, "", fmt.Errorf("handlers: provider %q is not configured", acct.Provider)
	}
	hc, err := c.h.tokens.Client(ctx, acct)
	if err != nil {
		return nil, "", err
	}
	return hc, p.APIURL, nil
}
