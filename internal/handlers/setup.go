package handlers

import "net/http"

type setupData struct {
	CallbackURL string
	Scopes      map[string][]string // provider id → the scopes its sign-in asks for
	Demo        bool
}

// setup serves GET /setup: how to register an OAuth client for real data, with this app's exact redirect URI.
func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	data := setupData{CallbackURL: h.baseURL + "/callback", Scopes: map[string][]string{}, Demo: h.demo}
	for _, info := range h.catalog {
		data.Scopes[info.ID] = info.Scopes
	}
	h.render(w, r, http.StatusOK, "setup.html", h.newPage("Set up", "", nil, data))
}

// realProvider reports whether a provider for real data is configured.
func (h *Handler) realProvider() bool { return !h.demo && len(h.providers) > 0 }
