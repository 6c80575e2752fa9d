package handlers

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/importer"
	"github.com/bodystats/bodystats/internal/store"
)

type settingsData struct {
	Height       string
	HeightFrom   string // who set the height shown: "you", a provider's name; "" none
	HeightFeet   string // the height in feet and inches, when the provider's settings read heights so: "5 ft 10 in"
	FromProvider bool
	Unit         string
	Goal         string // in the chosen unit, "" when none
	ShowFigure   bool
	Saved        bool
	Today        string
}

// Heights outside this range (centimetres) are typing mistakes.
const minHeightCm, maxHeightCm = 50, 272

// settings serves GET /settings: height, goal, units, the figure, and adding a weigh-in by hand.
func (h *Handler) settings(w http.ResponseWriter, r *http.Request) {
	acct, err := h.settingsAccount(r)
	if errors.Is(err, store.ErrNotFound) {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	st, err2 := h.store.Settings(r.Context())
	if err = errors.Join(err, err2); err != nil {
		h.serverError(w, r, err)
		return
	}
	u := unitOf(st)
	data := settingsData{Saved: r.URL.Query().Get("saved") == "1", Unit: string(u), ShowFigure: !st.HideLikeness, Today: h.today()}
	switch p, ok := h.provider(acct.Provider); {
	case st.HeightCm > 0:
		data.Height, data.HeightFrom = strconv.FormatFloat(st.HeightCm, 'f', -1, 64), "you"
	case acct.HeightCm > 0 && ok:
		data.Height, data.HeightFrom = strconv.FormatFloat(acct.HeightCm, 'f', -1, 64), p.Info().Name
	case acct.HeightCm > 0:
		data.Height, data.HeightFrom = strconv.FormatFloat(acct.HeightCm, 'f', -1, 64), "an import"
	}
	if cm, err := strconv.ParseFloat(data.Height, 64); err == nil && acct.HeightUnit == "ftin" {
		data.HeightFeet = feetInches(cm)
	}
	if st.GoalKg > 0 {
		data.Goal = formatValue(body.ValueIn(st.GoalKg, u))
	}
	if _, ok := h.provider(acct.Provider); ok {
		data.FromProvider = true
	}
	h.render(w, r, http.StatusOK, "settings.html", h.newPage("Settings", "settings", h.connected(acct), data))
}

// feetInches writes a height in centimetres as feet and whole inches: 178 → "5 ft 10 in".
func feetInches(cm float64) string {
	in := int(math.Round(cm / 2.54))
	return strconv.Itoa(in/12) + " ft " + strconv.Itoa(in%12) + " in"
}

// saveSettings serves POST /settings. Each field present is saved: height_cm, unit (kg, lb, st), goal (in that
// unit; empty clears it). A form may send only some of them.
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
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "That form could not be read", Message: "Please try again.", Next: "/settings", NextLabel: "Back to settings"}, err)
		return
	}
	st, err := h.store.Settings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	bad := func(msg string) {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "That does not look right", Message: msg, Next: "/settings", NextLabel: "Back to settings"}, nil)
	}
	if r.PostForm.Has("unit") {
		u, err := body.ParseUnit(r.PostForm.Get("unit"))
		if err != nil {
			bad("Choose kilograms, pounds or stone.")
			return
		}
		st.Unit = string(u)
	}
	if r.PostForm.Has("goal") {
		st.GoalKg = 0
		if g := strings.TrimSpace(r.PostForm.Get("goal")); g != "" {
			v, err := strconv.ParseFloat(g, 64)
			kg := body.ToKg(v, unitOf(st))
			if err != nil || !(kg >= 20 && kg <= 400) { // NaN fails too
				bad("Enter a goal weight in " + body.UnitLabel(unitOf(st)) + ", for example 75 or 165 (decimal stone for stone, e.g. 11.5), or leave it empty for none.")
				return
			}
			st.GoalKg = kg
		}
	}
	if hv := r.PostForm.Get("height_cm"); hv != "" || (r.PostForm.Has("height_cm") && !r.PostForm.Has("unit")) {
		cm, err := strconv.ParseFloat(hv, 64)
		if err != nil || !(cm >= minHeightCm && cm <= maxHeightCm) {
			bad("Enter your height in centimetres, between 50 and 272 (for example 178 or 165.5).")
			return
		}
		// An entered height wins over the provider's; saving the form with the provider's height still in it
		// enters nothing, so the provider's keeps following its profile.
		if cm != acct.HeightCm || st.HeightCm > 0 {
			st.HeightCm = cm
		}
	}
	if err := h.store.SaveSettings(r.Context(), st); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
}

// saveFigure serves POST /settings/figure: show=0 hides the likeness, show=1 brings it back.
func (h *Handler) saveFigure(w http.ResponseWriter, r *http.Request) {
	st, err := h.store.Settings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	st.HideLikeness = r.PostFormValue("show") == "0"
	if err := h.store.SaveSettings(r.Context(), st); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// connected returns the account for the page header when it is a provider connection, nil for the import account.
func (h *Handler) connected(acct store.Account) *store.Account {
	if acct.Provider == importer.AccountProvider {
		return nil
	}
	return &acct
}
