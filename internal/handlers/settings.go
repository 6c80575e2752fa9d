package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/bodystats/bodystats/internal/importer"
	"github.com/bodystats/bodystats/internal/store"
)

type settingsData struct {
	Height       string
	FromProvider bool
	Saved        bool
}

// Heights outside this range (centimetres) are typing mistakes.
const minHeightCm, maxHeightCm = 50, 272

// settings serves GET /settings: the height used for BMI.
func (h *Handler) settings(w http.ResponseWriter, r *http.Request) {
	acct, err := h.settingsAccount(r)
	if errors.Is(err, store.ErrNotFound) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := settingsData{Saved: r.URL.Query().Get("saved") == "1"}
	if acct.HeightCm > 0 {
		data.Height = strconv.FormatFloat(acct.HeightCm, 'f', -1, 64)
	}
	if p, ok := h.provider(acct.Provider); ok && !p.Google {
		data.FromProvider = true
	}
	h.render(w, r, http.StatusOK, "settings.html", h.newPage("Settings", "settings", h.connected(acct), data))
}

// saveSettings serves POST /settings.
func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request) {
	acct, err := h.settingsAccount(r)
	if errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, http.StatusConflict, problem{Heading: "Nothing to set", Message: "Connect an account or import a file first."}, nil)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	cm, err := strconv.ParseFloat(r.PostFormValue("height_cm"), 64)
	if err != nil || cm < minHeightCm || cm > maxHeightCm {
		h.fail(w, r, http.StatusBadRequest, problem{
			Heading: "That height does not look right",
			Message: "Enter your height in centimetres, between 50 and 272 (for example 178 or 165.5).",
			Next:    "/settings", NextLabel: "Back to settings",
		}, nil)
		return
	}
	if err := h.store.SetHeight(r.Context(), acct.ID, cm); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
}

// connected returns the account for the page header when it is a provider connection, nil for the import account.
func (h *Handler) connected(acct store.Account) *store.Account {
	if acct.Provider == importer.AccountProvider {
		return nil
	}
	return &acct
}
