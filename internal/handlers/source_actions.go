package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/bodystats/bodystats/internal/store"
)

type removeData struct {
	ID         int64
	Name, Kind string
	Held       int
	Only       int // weigh-ins no other source holds: they leave the history
}

var noSource = problem{Heading: "No such source", Message: "That source does not exist (it may have been removed already).", Next: "/sources", NextLabel: "Back to sources"}

// source reads the {id} of a /sources/{id}/... route; it writes the 404 page itself when there is none.
func (h *Handler) source(w http.ResponseWriter, r *http.Request) (store.Source, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		h.fail(w, r, http.StatusNotFound, noSource, nil)
		return store.Source{}, false
	}
	s, err := h.store.Source(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, noSource, nil)
		return store.Source{}, false
	}
	if err != nil {
		h.serverError(w, r, err)
		return store.Source{}, false
	}
	return s, true
}

// confirmRemove serves GET /sources/{id}/remove: what removing the source deletes, and the button that does it.
func (h *Handler) confirmRemove(w http.ResponseWriter, r *http.Request) {
	s, ok := h.source(w, r)
	if !ok {
		return
	}
	_, contrib, err := h.store.HistoryBySource(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	c := contrib[s.ID]
	data := removeData{ID: s.ID, Name: s.Name, Kind: kindLabel(s.Kind), Held: c.Held + c.Unclaimed, Only: c.Shown}
	if s.Kind == store.KindAccount {
		if acct, err := h.store.Account(r.Context(), s.AccountID); err == nil {
			data.Name = acct.DisplayName
		}
	}
	h.render(w, r, http.StatusOK, "remove.html", h.newPage("Remove a source", "sources", nil, data))
}

// removeSource serves POST /sources/{id}/remove with confirm=yes: the source and every weigh-in it holds are
// deleted (an account's credentials with it); twins held by other sources show again.
func (h *Handler) removeSource(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	s, ok := h.source(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "Removing needs your confirmation",
			Message: "Nothing was removed. Use the Remove button on the confirmation page, which says how many weigh-ins go with the source.",
			Next:    "/sources/" + strconv.FormatInt(s.ID, 10) + "/remove", NextLabel: "Review what would be removed"}, nil)
		return
	}
	n, err := h.store.RemoveSource(r.Context(), s.ID)
	if errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, noSource, nil)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.log.Info("source removed", "source", s.ID, "kind", s.Kind, "rows", n)
	http.Redirect(w, r, "/sources?removed="+strconv.Itoa(n), http.StatusSeeOther)
}

// disconnectSource serves POST /sources/{id}/disconnect: an account's credentials are deleted, its weigh-ins kept.
func (h *Handler) disconnectSource(w http.ResponseWriter, r *http.Request) {
	s, ok := h.source(w, r)
	if !ok {
		return
	}
	if s.Kind != store.KindAccount {
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "Nothing to disconnect", Message: "Only a connected account can be disconnected; remove an import instead.", Next: "/sources", NextLabel: "Back to sources"}, nil)
		return
	}
	if err := h.store.DeleteCredentials(r.Context(), s.AccountID); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.log.Info("account disconnected", "account", s.AccountID)
	http.Redirect(w, r, "/sources", http.StatusSeeOther)
}

// claimSource serves POST /sources/{id}/claim: readings a shared scale could not attribute join the history.
func (h *Handler) claimSource(w http.ResponseWriter, r *http.Request) {
	s, ok := h.source(w, r)
	if !ok {
		return
	}
	n, err := h.store.Claim(r.Context(), s.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/sources?claimed="+strconv.Itoa(n), http.StatusSeeOther)
}
