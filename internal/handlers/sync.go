package handlers

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/syncer"
)

// syncStatusJSON is the body of GET /sync/status (CONTRACT.md): the state of every connected account's sync
// taken together, and each one in Sources.
type syncStatusJSON struct {
	State        string  `json:"state"`
	Requests     int     `json:"requests"`
	Measurements int     `json:"measurements"`
	Message      string  `json:"message"`
	Progress     float64 `json:"progress"`                  // 0..1, the share of the history fetched
	Oldest       string  `json:"oldest,omitempty"`          // how far back the sync has got
	NextRequest  string  `json:"next_request_at,omitempty"` // while waiting, RFC 3339

	Sources []sourceStatusJSON `json:"sources,omitempty"`
}

type sourceStatusJSON struct {
	Source       int64   `json:"source"`
	Provider     string  `json:"provider"`
	State        string  `json:"state"`
	Requests     int     `json:"requests"`
	Measurements int     `json:"measurements"`
	Message      string  `json:"message"`
	Progress     float64 `json:"progress"`
	NextRequest  string  `json:"next_request_at,omitempty"`
}

// startSync serves POST /sync: it starts a sync of every connected account (or joins the running ones). A form
// post is sent back to the page it came from; a client asking for JSON gets 202 and the status.
func (h *Handler) startSync(w http.ResponseWriter, r *http.Request) {
	accts, err := h.store.ConnectedAccounts(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if len(accts) == 0 {
		h.fail(w, r, http.StatusConflict, problem{Heading: "Nothing to sync", Message: "No account is connected. Connect one first."}, nil)
		return
	}
	for _, a := range accts {
		h.sync.Start(a.ID)
	}
	if wantsJSON(r) {
		h.writeStatus(w, r, http.StatusAccepted)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// syncStatus serves GET /sync/status.
func (h *Handler) syncStatus(w http.ResponseWriter, r *http.Request) {
	h.writeStatus(w, r, http.StatusOK)
}

// writeStatus sums the accounts' syncs: running while any runs, else waiting while any waits, else failed when
// any failed, else idle. With one account, measurements counts its rows; with several, the weigh-ins of the one
// history they feed.
func (h *Handler) writeStatus(w http.ResponseWriter, r *http.Request, code int) {
	ctx := r.Context()
	syncs, err := h.syncViews(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	body := syncStatusJSON{State: syncer.StateIdle, Message: "No account is connected."}
	rank := map[string]int{syncer.StateIdle: 0, syncer.StateFailed: 1, syncer.StateWaiting: 2, syncer.StateRunning: 3}
	for i, s := range syncs {
		n, err := h.store.CountMeasurements(ctx, s.Account.SourceID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		st := s.Status
		one := sourceStatusJSON{Source: s.Account.SourceID, Provider: s.Account.Provider, State: st.State, Requests: st.Requests,
			Measurements: n, Message: st.Message, Progress: st.Progress}
		if !st.NextAt.IsZero() {
			one.NextRequest = st.NextAt.Format(time.RFC3339)
		}
		body.Sources = append(body.Sources, one)
		body.Requests += st.Requests
		if i == 0 || rank[st.State] > rank[body.State] {
			body.State, body.Message, body.Progress, body.Oldest, body.NextRequest = st.State, st.Message, st.Progress, st.Oldest, one.NextRequest
		}
		body.Measurements = n
	}
	if len(syncs) > 1 {
		rows, err := h.store.History(ctx)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		body.Measurements = len(rows)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(body)
}
