package handlers

import (
	"errors"
	"net/http"

	"github.com/bodystats/bodystats/internal/connect"
)

// login serves GET /login: it starts a sign-in with the chosen provider (?provider=, or the only one configured),
// keeps the pending state on the server bound to this browser session, and redirects to the consent page.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("provider")
	if name == "" {
		if len(h.providers) != 1 {
			h.fail(w, r, http.StatusBadRequest, problem{Heading: "Choose a provider", Message: "Several providers are configured; pick one on the start page."}, nil)
			return
		}
		name = h.providers[0].Name()
	}
	p, ok := h.provider(name)
	if !ok {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "Unknown provider", Message: "That provider is not configured in bodystats."}, nil)
		return
	}

	authURL, pending, err := p.Begin(r.Context())
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
