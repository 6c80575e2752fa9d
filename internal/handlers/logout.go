package handlers

import (
	"errors"
	"net/http"

	"github.com/bodystats/bodystats/internal/store"
)

// logout serves POST /logout: it disconnects the account this browser shows by forgetting its credentials,
// and clears the session. Every stored measurement stays; connecting the same account again brings them back.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	acct, err := h.currentAccount(r)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.serverError(w, r, err)
		return
	}
	if err == nil {
		if err := h.store.DeleteCredentials(r.Context(), acct.ID); err != nil {
			h.serverError(w, r, err)
			return
		}
		h.log.Info("account disconnected", "account", acct.ID)
	}
	sess := h.session(r)
	delete(sess.Values, keyAccountID)
	if err := sess.Save(r, w); err != nil {
		h.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
