package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/provider"
)

type publicProfileData struct {
	ID, Name, Avatar string
	Weight           string // in the viewer's unit; "" when the body data is not public
}

// profilePublic is GET /profile/public?user=ID: the 2013 post's first step, a two-legged OAuth 1.0a read of a
// Fitbit user's public profile with the consumer key alone. Nothing is stored and no sign-in is needed.
func (h *Handler) profilePublic(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("user")
	pr, ok := h.publicReader()
	if !ok {
		h.fail(w, r, http.StatusNotFound, problem{Heading: "No OAuth 1.0a client",
			Message: "Reading a public profile needs a Fitbit OAuth 1.0a consumer key and secret (FITBIT_CONSUMER_KEY and FITBIT_CONSUMER_SECRET, or C_KEY and C_SECRET in config.ini)."}, nil)
		return
	}
	if !pr.ValidPublicID(id) {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "Not a Fitbit user ID",
			Message: "A Fitbit user ID is six letters or digits, like 1ABCDE (it is in the address of the profile page). bodystats sent no request."}, nil)
		return
	}
	prof, err := pr.PublicProfile(r.Context(), id)
	switch {
	case errors.Is(err, provider.ErrNotFound):
		h.fail(w, r, http.StatusNotFound, problem{Heading: "No such Fitbit user",
			Message: "Fitbit knows no user with the ID " + id + ". Check the ID on the profile page's address."}, nil)
		return
	case errors.Is(err, provider.ErrForbidden):
		h.fail(w, r, http.StatusForbidden, problem{Heading: "This profile is private",
			Message: "The Fitbit user " + id + " has not made their profile public, so it cannot be read without their sign-in."}, nil)
		return
	case errors.Is(err, provider.ErrGone):
		h.fail(w, r, http.StatusGone, problem{Heading: "Fitbit switched this off",
			Message: "Fitbit no longer answers this 2013 public-data read: its old Web API has been retired."}, err)
		return
	case err != nil:
		h.fail(w, r, http.StatusBadGateway, problem{Heading: "Fitbit could not be read",
			Message: "bodystats could not read this public profile from Fitbit just now. Nothing was stored; please try again later."}, err)
		return
	}
	st, err := h.store.Settings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := publicProfileData{ID: id, Name: prof.DisplayName, Avatar: prof.Avatar}
	if prof.HasWeight {
		data.Weight = body.FormatWeight(prof.WeightKg, unitOf(st))
	}
	if u, err := url.Parse(prof.Avatar); err == nil && prof.Avatar != "" {
		// The avatar lives on the provider's host: this page alone may show images from there.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: "+u.Scheme+"://"+u.Host+
			"; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	}
	h.render(w, r, http.StatusOK, "profile_public.html", h.newPage("Public profile", "", nil, data))
}

// publicReader is the configured provider that can read public profiles, if any.
func (h *Handler) publicReader() (provider.PublicReader, bool) {
	for _, p := range h.providers {
		if pr, ok := p.(provider.PublicReader); ok && pr.ReadsPublic() {
			return pr, true
		}
	}
	return nil, false
}
