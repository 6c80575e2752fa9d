// Command syncbench measures the sync engine against the emulator: it syncs a 10-year history with 100 ms of
// latency per request and prints requests against the lower bound, the seconds until the newest weigh-in is
// visible, and the total, beside the same figures for a naive plan (31-day windows from 2009, oldest first) run
// in the same process as the baseline; then the same history through Withings, against its own lower bound.
//
//	go run ./cmd/syncbench [-years 10] [-latency 100ms]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
)

func main() {
	years := flag.Int("years", 10, "history length")
	latency := flag.Duration("latency", 100*time.Millisecond, "emulator latency per API request")
	flag.Parse()
	if err := run(*years, *latency, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "syncbench:", err)
		os.Exit(1)
	}
}

type result struct {
	requests        int
	visible, total  time.Duration
	stored, wantAll int
}

func run(years int, latency time.Duration, w io.Writer) error {
	ctx := context.Background()
	emu := emulator.New(emulator.Options{Years: years, Latency: latency, RateLimit: 1 << 20})
	emu.AddConsumer("ck", "cs")
	tok, sec := emu.IssueAccessToken("ck")
	srv := httptest.NewServer(emu)
	defer srv.Close()
	env := &bench{emu: emu, url: srv.URL, token: oauth1.NewToken(tok, sec)}

	engine, err := env.engine(ctx)
	if err != nil {
		return err
	}
	naive, err := env.naive(ctx)
	if err != nil {
		return err
	}
	first, err := time.Parse(time.DateOnly, emu.User().MemberSince)
	if err != nil {
		return err
	}
	bound := fitbit.LowerBound(int(time.Since(first).Hours()/24) + 1)
	fmt.Fprintf(w, "%d-year history, %d weigh-ins, %v latency per request, lower bound %d requests\n\n", years, engine.wantAll, latency, bound)
	fmt.Fprintf(w, "%-28s %10s %12s %16s %10s\n", "plan", "requests", "vs bound", "newest visible", "total")
	for _, r := range []struct {
		name string
		res  result
	}{{"engine (newest first)", engine}, {"naive (31 days from 2009)", naive}} {
		fmt.Fprintf(w, "%-28s %10d %11.3fx %15.2fs %9.2fs\n", r.name, r.res.requests, float64(r.res.requests)/float64(bound),
			r.res.visible.Seconds(), r.res.total.Seconds())
		if r.res.stored != r.res.wantAll {
			return fmt.Errorf("%s stored %d weigh-ins, want %d", r.name, r.res.stored, r.res.wantAll)
		}
	}
	fmt.Fprintf(w, "\nengine / naive: requests %.2fx, newest visible %.2fx, total %.2fx\n",
		float64(engine.requests)/float64(naive.requests), engine.visible.Seconds()/naive.visible.Seconds(), engine.total.Seconds()/naive.total.Seconds())

	wres, wbound, err := runWithings(ctx, emu, srv.URL)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWithings, the same history (%d weigh-ins), lower bound %d requests (the profile + pages of %d groups)\n", wres.wantAll, wbound, withingsPageSize)
	fmt.Fprintf(w, "%-28s %10d %11.3fx %15.2fs %9.2fs\n", "withings engine", wres.requests, float64(wres.requests)/float64(wbound), wres.visible.Seconds(), wres.total.Seconds())
	if wres.stored != wres.wantAll {
		return fmt.Errorf("withings stored %d weigh-ins, want %d", wres.stored, wres.wantAll)
	}
	return nil
}

// bench is an account on the emulator over OAuth 1.0a, with a fresh database per plan.
type bench struct {
	emu   *emulator.Emulator
	url   string
	token *oauth1.Token
}

func (b *bench) client() *fitbit.Client { return fitbit.NewClient(b.http(), b.url) }

func (b *bench) http() *http.Client {
	return oauth1.NewConfig("ck", "cs").Client(context.Background(), b.token)
}

// Provider and Client make bench the syncer's providers: the Fitbit OAuth 1.0a provider on the emulator.
func (b *bench) Provider(id string) (provider.Provider, bool) {
	settings := map[string]string{"FITBIT_CONSUMER_KEY": "ck", "FITBIT_CONSUMER_SECRET": "cs", "FITBIT_API_URL": b.url, "FITBIT_WWW_URL": b.url}
	return fitbit.OAuth1Spec.New(provider.Env{Get: func(k string) string { return settings[k] }}), id == fitbit.OAuth1ID
}

func (b *bench) Client(context.Context, store.Account) (*http.Client, error) { return b.http(), nil }

func (b *bench) open(ctx context.Context) (*store.DB, store.Account, func(), error) {
	dir, err := os.MkdirTemp("", "syncbench")
	if err != nil {
		return nil, store.Account{}, nil, err
	}
	db, err := store.Open(ctx, filepath.Join(dir, "b.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		return nil, store.Account{}, nil, err
	}
	acct, err := db.UpsertAccount(ctx, store.Account{Provider: "fitbit-oauth1", ExternalUserID: b.emu.User().EncodedID})
	return db, acct, func() { db.Close(); os.RemoveAll(dir) }, err
}

func (b *bench) engine(ctx context.Context) (result, error) {
	db, acct, done, err := b.open(ctx)
	if err != nil {
		return result{}, err
	}
	defer done()
	return timeSync(ctx, db, b, acct, len(b.emu.WeightLogs()))
}

// timeSync runs one sync of the account to its end and measures it: the requests it sent, the time until the
// newest weigh-ins were stored, the whole time, and the rows stored against the want the history holds.
func timeSync(ctx context.Context, db *store.DB, ps syncer.Providers, acct store.Account, want int) (result, error) {
	run := syncer.New(db, ps, syncer.Options{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer run.Close()
	start := time.Now()
	h := run.Start(acct.ID)
	<-h.FirstWindow()
	visible := time.Since(start)
	<-h.Done()
	total := time.Since(start)
	st := run.Status(acct.ID)
	if st.State != syncer.StateIdle {
		return result{}, fmt.Errorf("%s sync ended %s: %s", acct.Provider, st.State, st.Message)
	}
	n, err := db.CountMeasurements(ctx, acct.SourceID)
	return result{requests: st.Requests, visible: visible, total: total, stored: n, wantAll: want}, err
}

// naive is the baseline plan: the profile, then every 31-day window from 2009-01-01 to today, oldest first, so
// the newest weigh-in appears only with the last request.
func (b *bench) naive(ctx context.Context) (result, error) {
	db, acct, done, err := b.open(ctx)
	if err != nil {
		return result{}, err
	}
	defer done()
	c := b.client()
	start := time.Now()
	if _, err := c.Profile(ctx); err != nil {
		return result{}, err
	}
	requests := 1
	today := fitbit.Day(time.Now())
	for s := time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC); !s.After(today); s = s.AddDate(0, 0, fitbit.MaxLogRange) {
		e := s.AddDate(0, 0, fitbit.MaxLogRange-1)
		logs, err := c.WeightLogs(ctx, s, e)
		requests++
		if err != nil {
			return result{}, err
		}
		var ms []store.Measurement
		for _, l := range logs {
			ms = append(ms, store.Measurement{SourceID: acct.SourceID, Provider: acct.Provider, ExternalID: fmt.Sprint(l.LogID),
				Date: l.Date, Time: l.Time, WeightKg: l.Weight, FatPct: l.Fat, Source: l.Source, LogID: l.LogID, Method: store.MethodDevice})
		}
		if _, err := db.UpsertMeasurements(ctx, ms); err != nil {
			return result{}, err
		}
	}
	total := time.Since(start)
	n, err := db.CountMeasurements(ctx, acct.SourceID)
	return result{requests: requests, visible: total, total: total, stored: n, wantAll: len(b.emu.WeightLogs())}, err
}
