package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/provider"
)

// login serves GET /login: it starts a sign-in with the chosen provider (?provider=, or else the first offered),
// keeps the pending state on the server bound to this browser session, and redirects to the consent page.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("provider")
	if name == "" && len(h.providers) > 0 {
		name = h.providers[0].Name()
	}
	p, ok := h.provider(name)
	if !ok {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "Unknown provider", Message: "That provider is not configured in bodystats."}, nil)
		return
	}

	authURL, pending, err := p.Begin(r.Context())
	if errors.Is(err, connect.ErrGone) {
		h.gone(w, r, p, err)
		return
	}
	if err != nil {
		status := http.StatusBadGateway
		msg := "The provider could not be reached to start the sign-in. Please try again in a moment."
		if errors.Is(err, connect.ErrRejected) {
			status = http.StatusBadRequest
			msg = "The provider refused to start a sign-in. Check the consumer key and secret bodystats is configured with."
		}
		h.fail(w, r, status, problem{Heading: "Could not start the sign-in", Message: msg}, err)
		return
	}
	payload, err := pending.Marshal()
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	sess := h.session(r)
	id := browserID(sess, true)
	// Sign-ins abandoned at the consent page expire; clear them out as new ones start.
	if err := h.store.PruneFlows(r.Context()); err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := h.store.PutFlow(r.Context(), flowKey(id), payload, connect.PendingTTL); err != nil {
		h.serverError(w, r, err)
		return
	}
	if err := sess.Save(r, w); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, authURL, http.StatusFound)
}

// gone explains that the provider has been switched off, and offers a provider that still answers.
func (h *Handler) gone(w http.ResponseWriter, r *http.Request, p provider.Provider, err error) {
	info := p.Info()
	pr := problem{
		Heading:   info.Name + "'s API has been switched off",
		Message:   info.Gone,
		Next:      "/setup",
		NextLabel: "See the other ways to connect",
	}
	if pr.Message == "" {
		pr.Message = info.Name + " no longer answers sign-ins. Everything bodystats already stored is kept."
	}
	for _, other := range h.providers {
		if other.Info().Name != info.Name {
			pr.Next, pr.NextLabel = "/login?provider="+url.QueryEscape(other.Name()), other.Info().Action
			break
		}
	}
	h.fail(w, r, http.StatusGone, pr, err)
}
