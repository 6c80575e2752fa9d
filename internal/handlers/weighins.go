package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/store"
)

// addWeighin serves POST /weighins: a weigh-in entered by hand (date, time, weight in the chosen unit, optional
// body fat), a row of the manual source: a scale's reading of the same minute, synced later, shows instead. With
// no date and time (the dashboard's Log weight form) it is now; from=dashboard returns to the dashboard.
func (h *Handler) addWeighin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	back, done := "/settings", "/weight"
	if r.PostFormValue("from") == "dashboard" {
		back, done = "/", "/"
	}
	bad := func(msg string) {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "That weigh-in does not look right", Message: msg, Next: back, NextLabel: "Back"}, nil)
	}
	st, err := h.store.Settings(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	date, clock := r.PostFormValue("date"), r.PostFormValue("time")
	if date == "" && clock == "" {
		now := time.Now()
		date, clock = now.Format(time.DateOnly), now.Format(time.TimeOnly)
	}
	if len(clock) == 5 {
		clock += ":00"
	}
	if _, err := time.Parse("2006-01-02 15:04:05", date+" "+clock); err != nil {
		bad("Give the date as YYYY-MM-DD and the time as HH:MM.")
		return
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("weight")), 64)
	kg := body.ToKg(v, unitOf(st))
	if err != nil || !(kg >= 20 && kg <= 400) { // written so that NaN fails too
		bad("Enter the weight in " + body.UnitLabel(unitOf(st)) + ".")
		return
	}
	m := store.Measurement{Provider: store.KindManual, Date: date, Time: clock, WeightKg: kg, Source: "Manual", Method: store.MethodManual}
	if f := strings.TrimSpace(r.PostFormValue("fat")); f != "" {
		fat, err := strconv.ParseFloat(f, 64)
		if err != nil || !(fat > 0 && fat < 75) {
			bad("Body fat is a percentage, for example 22.5, or leave it empty.")
			return
		}
		m.FatPct = &fat
	}
	src, err := h.store.ManualSource(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	m.SourceID, m.ExternalID = src.ID, "manual:"+date+"T"+clock
	if _, err := h.store.UpsertMeasurements(r.Context(), []store.Measurement{m}); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, done, http.StatusSeeOther)
}

// hideWeighin serves POST /weighins/hide: hide=KEY takes an outlier out of the trend and charts (it stays
// stored and exported); restore=KEY brings it back. KEY is "source/provider/external id".
func (h *Handler) hideWeighin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	key, hidden := r.PostFormValue("hide"), true
	if key == "" {
		key, hidden = r.PostFormValue("restore"), false
	}
	parts := strings.SplitN(key, "/", 3)
	account, perr := strconv.ParseInt(parts[0], 10, 64)
	if len(parts) != 3 || perr != nil {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "No weigh-in chosen", Message: "Use the Hide and Restore buttons in the weight table.", Next: "/weight", NextLabel: "Back to weight"}, nil)
		return
	}
	err := h.store.SetHidden(r.Context(), account, parts[1], parts[2], hidden)
	if errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, problem{Heading: "No such weigh-in", Message: "That weigh-in is not stored (it may have been removed by a sync).", Next: "/weight", NextLabel: "Back to weight"}, nil)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/weight?range=all", http.StatusSeeOther)
}

// today is the local date, for the manual weigh-in form's default.
func (h *Handler) today() string { return time.Now().Format(time.DateOnly) }
