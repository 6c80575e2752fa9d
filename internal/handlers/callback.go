package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/store"
)

var (
	noSignIn = problem{
		Heading:   "No sign-in in progress",
		Message:   "This browser has no sign-in waiting for this answer: it may have been used already, or started in another browser. Please start again.",
		Next:      "/",
		NextLabel: "Start again",
	}
	expiredSignIn = problem{
		Heading:   "The sign-in expired",
		Message:   "More than 10 minutes passed since the sign-in started. Please start again.",
		Next:      "/",
		NextLabel: "Start again",
	}
	mismatchedSignIn = problem{
		Heading:   "This answer does not match your sign-in",
		Message:   "The provider's answer does not belong to the sign-in this browser started, so it was ignored. Please start again.",
		Next:      "/",
		NextLabel: "Start again",
		Paste:     true,
	}
	incompleteSignIn = problem{
		Heading:   "The answer is incomplete",
		Message:   "The provider's answer is missing a part bodystats needs (the verifier or code). Please start again.",
		Next:      "/",
		NextLabel: "Start again",
		Paste:     true,
	}
	deniedSignIn = problem{
		Heading:   "Access was not granted",
		Message:   "You chose not to let bodystats read your weight data, so nothing was connected. You can connect whenever you like.",
		Next:      "/",
		NextLabel: "Back to the start page",
	}
	providerErrorSignIn = problem{
		Heading:   "The provider reported a problem",
		Message:   "The provider sent the sign-in back with an error instead of your permission, so nothing was connected. Please start again.",
		Next:      "/",
		NextLabel: "Start again",
	}
	scopeMissingSignIn = problem{
		Heading:   "A permission was left out",
		Message:   "bodystats needs every permission it asked for (your weight data and your profile), and one was unticked. Nothing was connected; please connect again and leave them all ticked.",
		Next:      "/",
		NextLabel: "Connect again",
	}
	providerFailedSignIn = problem{
		Heading:   "The sign-in could not be finished",
		Message:   "The provider did not answer properly when bodystats tried to finish the sign-in (it may be down or sent something unreadable). Nothing was changed; please start again in a moment.",
		Next:      "/",
		NextLabel: "Start again",
	}
	rejectedSignIn = problem{
		Heading:   "The provider did not accept the sign-in",
		Message:   "The provider refused to finish this sign-in (the verifier may be wrong or already used). Nothing was changed; please start again.",
		Next:      "/",
		NextLabel: "Start again",
	}
)

// callback serves GET /callback, the one redirect URI for every provider.
func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	h.finishSignIn(w, r, r.URL.Query())
}

// finishSignIn handles a provider's answer (a callback's query). It accepts an answer only for the sign-in this
// browser session started, spends that sign-in before exchanging it (single use), stores the credentials sealed,
// starts the first sync and waits briefly for the newest weigh-ins.
func (h *Handler) finishSignIn(w http.ResponseWriter, r *http.Request, query url.Values) {
	ctx := r.Context()
	sess := h.session(r)
	id := browserID(sess, false)
	if id == "" {
		h.fail(w, r, http.StatusBadRequest, noSignIn, nil)
		return
	}
	key := flowKey(id)
	payload, err := h.store.Flow(ctx, key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.fail(w, r, http.StatusBadRequest, noSignIn, nil)
		return
	case errors.Is(err, store.ErrExpired):
		h.store.DeleteFlow(ctx, key)
		h.fail(w, r, http.StatusBadRequest, expiredSignIn, nil)
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	pending, err := connect.UnmarshalPending(payload)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	p, ok := h.provider(pending.Provider)
	if !ok {
		h.store.DeleteFlow(ctx, key)
		h.fail(w, r, http.StatusBadRequest, noSignIn, nil)
		return
	}

	cb := connect.ParseCallback(query)
	// A mismatched or incomplete answer is refused without spending the pending sign-in, so a forged link
	// cannot cancel the person's real sign-in.
	switch err := p.Check(pending, cb); {
	case errors.Is(err, connect.ErrDenied):
		h.store.DeleteFlow(ctx, key)
		h.fail(w, r, http.StatusForbidden, deniedSignIn, nil)
		return
	case errors.Is(err, connect.ErrMissingParam):
		h.fail(w, r, http.StatusBadRequest, incompleteSignIn, err)
		return
	case errors.Is(err, connect.ErrProviderError):
		h.store.DeleteFlow(ctx, key)
		h.fail(w, r, http.StatusBadRequest, providerErrorSignIn, err)
		return
	case err != nil:
		h.fail(w, r, http.StatusBadRequest, mismatchedSignIn, err)
		return
	}
	if spent, err := h.store.DeleteFlow(ctx, key); err != nil {
		h.serverError(w, r, err)
		return
	} else if !spent {
		h.fail(w, r, http.StatusBadRequest, noSignIn, nil) // another request spent it first
		return
	}

	// Whatever the provider did wrong, the person gets a 4xx page that says so; nothing stored changes.
	tok, err := p.Complete(ctx, pending, cb)
	switch {
	case errors.Is(err, connect.ErrGone):
		h.gone(w, r, p, err)
		return
	case errors.Is(err, connect.ErrScopeMissing):
		h.fail(w, r, http.StatusForbidden, scopeMissingSignIn, err)
		return
	case errors.Is(err, connect.ErrProviderFailed):
		h.fail(w, r, http.StatusBadRequest, providerFailedSignIn, err)
		return
	case err != nil:
		h.fail(w, r, http.StatusBadRequest, rejectedSignIn, err)
		return
	}
	acct, err := h.ConnectToken(ctx, p.Name(), tok)
	if err != nil {
		// Identifying the person is the first API call; the provider failing it is not the app's fault.
		h.fail(w, r, http.StatusBadRequest, providerFailedSignIn, err)
		return
	}
	sess.Values[keyAccountID] = acct.ID
	if err := sess.Save(r, w); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.log.Info("account connected", "provider", p.Name(), "account", acct.ID)

	// Newest weigh-ins first: wait for them so the dashboard opens with current numbers; the rest fills in.
	run := h.sync.Start(acct.ID)
	select {
	case <-run.FirstWindow():
	case <-time.After(h.firstWait):
	case <-ctx.Done():
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
