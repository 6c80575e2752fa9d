package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
)

// syncStatusJSON is the body of GET /sync/status (CONTRACT.md).
type syncStatusJSON struct {
	State        string  `json:"state"`
	Requests     int     `json:"requests"`
	Measurements int     `json:"measurements"`
	Message      string  `json:"message"`
	Progress     float64 `json:"progress"`                  // 0..1, the share of the history fetched
	Oldest       string  `json:"oldest,omitempty"`          // how far back the sync has got
	NextRequest  string  `json:"next_request_at,omitempty"` // while waiting, RFC 3339
}

// startSync serves POST /sync: it starts a sync of the connected account (or joins the running one).
// A form post is sent back to the dashboard; a client asking for JSON gets 202 and the status.
func (h *Handler) startSync(w http.ResponseWriter, r *http.Request) {
	acct, err := h.currentAccount(r)
	if errors.Is(err, store.ErrNotFound) {
		h.fail(w, r, http.StatusConflict, problem{Heading: "Nothing to sync", Message: "No account is connected. Connect one first."}, nil)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.sync.Start(acct.ID)
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		h.writeStatus(w, r, http.StatusAccepted, &acct)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// syncStatus serves GET /sync/status: the connected account's sync state and how many measurements it has stored.
func (h *Handler) syncStatus(w http.ResponseWriter, r *http.Request) {
	acct, err := h.currentAccount(r)
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.writeStatus(w, r, http.StatusOK, nil)
	case err != nil:
		h.serverError(w, r, err)
	default:
		h.writeStatus(w, r, http.StatusOK, &acct)
	}
}

func (h *Handler) writeStatus(w http.ResponseWriter, r *http.Request, code int, acct *store.Account) {
	body := syncStatusJSON{State: syncer.StateIdle, Message: "No account is connected."}
	if acct != nil {
		st := h.sync.Status(acct.ID)
		n, err := h.store.CountMeasurements(r.Context(), acct.ID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		body = syncStatusJSON{State: st.State, Requests: st.Requests, Measurements: n, Message: st.Message, Progress: st.Progress, Oldest: st.Oldest}
		if !st.NextAt.IsZero() {
			body.NextRequest = st.NextAt.Format(time.RFC3339)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}
