package syncer

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
)

// rig is an account connected to the emulator over OAuth 1.0a, with a real store.
type rig struct {
	t    *testing.T
	emu  *emulator.Emulator
	srv  *httptest.Server
	db   *store.DB
	acct store.Account
	// transport, when set, wraps the client's transport: tests inject client-side faults there.
	transport func(http.RoundTripper) http.RoundTripper
	token     *oauth1.Token
}

func newRig(t *testing.T, opts emulator.Options) *rig {
	t.Helper()
	r := &rig{t: t, emu: emulator.New(opts)}
	r.emu.AddConsumer("ck", "cs")
	tok, sec := r.emu.IssueAccessToken("ck")
	r.token = oauth1.NewToken(tok, sec)
	r.srv = httptest.NewServer(r.emu)
	t.Cleanup(r.srv.Close)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "s.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	if r.acct, err = db.UpsertAccount(t.Context(), store.Account{Provider: "fitbit-oauth1", ExternalUserID: r.emu.User().EncodedID}); err != nil {
		t.Fatal(err)
	}
	return r
}

// Provider and Client make the rig the syncer's providers: Fitbit over OAuth 1.0a, on the emulator.
func (r *rig) Provider(id string) (provider.Provider, bool) {
	settings := map[string]string{"FITBIT_CONSUMER_KEY": "ck", "FITBIT_CONSUMER_SECRET": "cs", "FITBIT_API_URL": r.srv.URL, "FITBIT_WWW_URL": r.srv.URL}
	return fitbit.OAuth1Spec.New(provider.Env{Get: func(k string) string { return settings[k] }}), id == fitbit.OAuth1ID
}

func (r *rig) Client(ctx context.Context, _ store.Account) (*http.Client, error) {
	var base http.RoundTripper = http.DefaultTransport
	if r.transport != nil {
		base = r.transport(base)
	}
	ctx = context.WithValue(ctx, oauth1.HTTPClient, &http.Client{Transport: base})
	hc := oauth1.NewConfig("ck", "cs").Client(ctx, r.token)
	hc.Timeout = 10 * time.Second
	return hc, nil
}

func (r *rig) runner() *Runner {
	return New(r.db, r, Options{Backoff: time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// sync runs one sync to its end and returns its final status.
func (r *rig) sync() Status { return syncToEnd(r.t, r.runner(), r.acct.ID) }

// checkStored compares the store with the emulator's history: every weigh-in once, unrounded, with its logId.
func (r *rig) checkStored() { checkHistory(r.t, r.db, r.emu.WeightLogs(), true) }

// syncToEnd runs one sync of the account to its end, closes the runner, and returns the final status.
func syncToEnd(t *testing.T, run *Runner, accountID int64) Status {
	t.Helper()
	defer run.Close()
	h := run.Start(accountID)
	select {
	case <-h.Done():
	case <-time.After(60 * time.Second):
		t.Fatal("sync did not finish in 60 s")
	}
	return run.Status(accountID)
}

// checkHistory compares the history with the emulator's: every weigh-in once, unrounded, with its body fat (and
// its Fitbit logId when the provider reports one).
func checkHistory(t *testing.T, db *store.DB, want []emulator.WeightLog, logIDs bool) {
	t.Helper()
	got, err := db.History(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d stored, want the emulator's %d", len(got), len(want))
	}
	for i, l := range want {
		m := got[i]
		if (logIDs && m.LogID != l.LogID) || m.Date != l.Date || m.Time != l.Time || m.WeightKg != l.WeightKg || (m.FatPct != nil) != l.HasFat {
			t.Fatalf("row %d = %+v, want %+v", i, m, l)
		}
	}
}

// span is the number of days from the account's first day to today, inclusive: the N of LowerBound.
func (r *rig) span() int {
	first, err := time.Parse(time.DateOnly, r.emu.User().MemberSince)
	if err != nil {
		r.t.Fatal(err)
	}
	loc, _ := time.LoadLocation(r.emu.User().TimeZone)
	today, _ := time.Parse(time.DateOnly, time.Now().In(loc).Format(time.DateOnly))
	return int(today.Sub(first).Hours()/24) + 1
}

// days are the days with weigh-ins, newest first.
func (r *rig) days() []time.Time {
	var days []time.Time
	logs := r.emu.WeightLogs()
	for i := len(logs) - 1; i >= 0; i-- {
		d, _ := time.Parse(time.DateOnly, logs[i].Date)
		if len(days) == 0 || !days[len(days)-1].Equal(d) {
			days = append(days, d)
		}
	}
	return days
}
