package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
)

type sourcesData struct {
	Sources []sourceRow
	Connect []landingProvider // configured providers with no connected account yet
	Removed int               // -1 unless a source was just removed: how many rows went with it
	Claimed int
}

// sourceRow is one source as the Sources page lists it.
type sourceRow struct {
	ID                     int64
	Kind, Name, Provider   string
	Detail                 string // an import's format
	Held, Shown, Unclaimed int
	First, Last, LastAt    string
	State, Message         string
	Connected              bool // an account with credentials: it can be disconnected
	Reconnect              string
}

// sources serves GET /sources: every source of the history with what it holds, its last sync or import and its
// state; Disconnect and Remove for each, Connect for each configured provider not yet connected, and the box for
// a pasted callback.
func (h *Handler) sources(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	syncs, err := h.syncViews(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	srcs, err := h.store.Sources(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	_, contrib, err := h.store.HistoryBySource(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := sourcesData{Removed: -1, Claimed: -1}
	if n, ok := intParam(r, "removed"); ok {
		data.Removed = n
	}
	if n, ok := intParam(r, "claimed"); ok {
		data.Claimed = n
	}
	connected := map[string]bool{}
	for _, s := range srcs {
		row := sourceRow{ID: s.ID, Kind: kindLabel(s.Kind), Name: s.Name, Detail: s.Detail, Provider: s.Provider, State: "—"}
		c := contrib[s.ID]
		row.Held, row.Shown, row.Unclaimed, row.First, row.Last = c.Held, c.Shown, c.Unclaimed, c.First, c.Last
		if !s.LastAt.IsZero() {
			row.LastAt = s.LastAt.UTC().Format(time.DateTime) + " UTC"
		}
		if s.Kind == store.KindAccount {
			if err := h.describeAccount(ctx, &row, s, syncs, connected); err != nil {
				h.serverError(w, r, err)
				return
			}
		}
		data.Sources = append(data.Sources, row)
	}
	for _, p := range h.providers {
		info := p.Info()
		if !connected[p.Name()] {
			data.Connect = append(data.Connect, landingProvider{Name: p.Name(), Action: info.Action, Note: info.Note})
		}
	}
	var current *store.Account
	if acct, err := h.currentAccount(r); err == nil {
		current = &acct
	}
	h.render(w, r, http.StatusOK, "sources.html", h.pageWith("Sources", "sources", current, syncs, data))
}

// describeAccount fills an account source's name and state from its account and its sync.
func (h *Handler) describeAccount(ctx context.Context, row *sourceRow, s store.Source, syncs []syncView, connected map[string]bool) error {
	row.State = "disconnected"
	for _, sv := range syncs {
		if sv.Account.ID == s.AccountID {
			row.Kind, row.Name, row.Connected = sv.Name+" account", sv.Account.DisplayName, true
			row.State, row.Message = stateOf(sv.Account, sv.Status), sv.Status.Message
			connected[s.Provider] = true
			if sv.Account.NeedsReconnect {
				row.Reconnect = "/login?provider=" + url.QueryEscape(s.Provider)
			}
			return nil
		}
	}
	acct, err := h.store.Account(ctx, s.AccountID)
	if err != nil {
		return err
	}
	row.Name = acct.DisplayName
	if p, ok := h.provider(s.Provider); ok {
		row.Kind = p.Info().Name + " account"
		row.Reconnect = "/login?provider=" + url.QueryEscape(s.Provider)
	}
	return nil
}

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string) (int, bool) {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	return n, err == nil && n >= 0
}

func kindLabel(kind string) string {
	switch kind {
	case store.KindAccount:
		return "Connected account"
	case store.KindImport:
		return "Import"
	case store.KindManual:
		return "Typed in"
	case store.KindAPI:
		return "API token"
	}
	return kind
}

// stateOf is a connected account's state in words: syncing, waiting, needs reconnect, switched off, failed, idle.
func stateOf(a store.Account, st syncer.Status) string {
	switch {
	case a.NeedsReconnect:
		return "needs reconnect"
	case st.Gone:
		return "switched off"
	case st.State == syncer.StateRunning:
		return "syncing"
	case st.State == syncer.StateWaiting:
		return "waiting"
	case st.State == syncer.StateFailed:
		return "failed"
	}
	return "connected"
}
