package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/store"
)

// currentAccount returns the account this browser shows: the one it connected, or else (a local, single-person
// app) the most recently connected account, which covers a token imported from config.ini.
// It returns store.ErrNotFound when no account is connected.
func (h *Handler) currentAccount(r *http.Request) (store.Account, error) {
	ctx := r.Context()
	if id := sessionAccount(h.session(r)); id != 0 {
		acct, err := h.store.Account(ctx, id)
		if err == nil {
			if _, err = h.store.Credentials(ctx, id); err == nil {
				return acct, nil
			}
		}
		if !errors.Is(err, store.ErrNotFound) {
			return store.Account{}, err
		}
	}
	return h.store.ConnectedAccount(ctx)
}

// accountHistory returns the account this browser shows and all its measurements, oldest first.
func (h *Handler) accountHistory(r *http.Request) (store.Account, []store.Measurement, error) {
	acct, err := h.currentAccount(r)
	if err != nil {
		return store.Account{}, nil, err
	}
	rows, err := h.store.Measurements(r.Context(), acct.ID)
	return acct, rows, err
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
