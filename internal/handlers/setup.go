package handlers

import (
	"net/http"

	"github.com/bodystats/bodystats/internal/googlehealth"
)

type setupData struct {
	CallbackURL  string
	GoogleScopes []string
	Demo         bool
}

// setup serves GET /setup: how to register an OAuth client for real data, with this app's exact redirect URI.
func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	data := setupData{CallbackURL: h.baseURL + "/callback", GoogleScopes: googlehealth.Scopes, Demo: h.demo}
	h.render(w, r, http.StatusOK, "setup.html", h.newPage("Set up", "", nil, data))
}

// realProvider reports whether a provider for real data (OAuth 2.0) is configured.
func (h *Handler) realProvider() bool {
	if h.demo {
		return false
	}
	for _, p := range h.providers {
		if p.Name() == "google-health" || p.Name() == "fitbit" {
			return true
		}
	}
	return false
}
