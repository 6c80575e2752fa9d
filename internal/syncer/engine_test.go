package syncer

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/store"
)

func ago(days int) string {
	return time.Now().AddDate(0, 0, -days).Format(time.DateOnly)
}

// TestRequestsWithinLowerBound: a first sync stays within 1.1 times the lower bound for short and long histories;
// with gaps of several months it goes below the bound, because the time series shows which windows are empty.
func TestRequestsWithinLowerBound(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts emulator.Options
		gaps bool
	}{
		{"OneMonth", emulator.Options{Days: 31}, false},
		{"OneYear", emulator.Options{Years: 1}, false},
		{"TenYears", emulator.Options{Years: 10}, false},
		{"OneYearWithFourMonthGap", emulator.Options{Years: 1, Gaps: []emulator.Gap{{From: ago(250), To: ago(130)}}}, true},
		{"TenYearsWithGaps", emulator.Options{Years: 10, Gaps: []emulator.Gap{
			{From: ago(3000), To: ago(2820)}, {From: ago(2000), To: ago(1850)}, {From: ago(900), To: ago(780)},
		}}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.opts)
			s := r.sync()
			if s.State != StateIdle {
				t.Fatalf("status = %+v", s)
			}
			bound := fitbit.LowerBound(r.span())
			ratio := float64(s.Requests) / float64(bound)
			t.Logf("%d requests, lower bound %d, ratio %.3f", s.Requests, bound, ratio)
			if ratio > 1.1 {
				t.Errorf("%d requests for a lower bound of %d: ratio %.3f, at most 1.1", s.Requests, bound, ratio)
			}
			if tt.gaps && s.Requests >= bound {
				t.Errorf("%d requests with months of gaps: the empty windows were fetched (bound %d)", s.Requests, bound)
			}
			if s.Requests < fitbit.CoverWindows(r.days())+1 {
				t.Errorf("%d requests is fewer than the windows holding weigh-ins: some were never fetched", s.Requests)
			}
			r.checkStored()
		})
	}
}

// TestNewestFirst: once the first window is committed the newest weigh-in is stored, while older years still load.
func TestNewestFirst(t *testing.T) {
	r := newRig(t, emulator.Options{Years: 3, Latency: 20 * time.Millisecond})
	run := r.runner()
	defer run.Close()
	h := run.Start(r.acct.ID)
	<-h.FirstWindow()
	logs := r.emu.WeightLogs()
	latest, err := r.db.LatestMeasurement(t.Context(), r.acct.SourceID)
	if err != nil || latest.LogID != logs[len(logs)-1].LogID {
		t.Fatalf("after the first window the newest stored weigh-in is %+v (%v), want logId %d", latest, err, logs[len(logs)-1].LogID)
	}
	if st := run.Status(r.acct.ID); st.State != StateRunning || st.Progress >= 1 {
		t.Errorf("status after the first window = %+v, want still running", st)
	}
	<-h.Done()
	r.checkStored()
}

// faultyTransport resets every resetEvery-th request and truncates every truncEvery-th answer on the client side.
type faultyTransport struct {
	base                   http.RoundTripper
	n                      atomic.Int64
	resetEvery, truncEvery int64
}

func (f *faultyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	n := f.n.Add(1)
	if n%f.resetEvery == 0 {
		return nil, errors.New("read tcp: connection reset by peer")
	}
	resp, err := f.base.RoundTrip(req)
	if err != nil || n%f.truncEvery != 0 {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(string(body[:len(body)/2])))
	resp.ContentLength = -1
	return resp, nil
}

// TestFaultMatrix: server errors, truncated answers, resets and 429 bursts, alone and all at once, end with the
// emulator's data exactly, no duplicate.
func TestFaultMatrix(t *testing.T) {
	for _, tt := range []struct {
		name   string
		fault  emulator.Fault
		client bool // also reset and truncate on the client side
	}{
		{"ServerErrors", emulator.Fault{Every: 3, Status: 500}, false},
		{"Truncated", emulator.Fault{Every: 4, Truncate: true}, false},
		{"Resets", emulator.Fault{Every: 5, Reset: true}, false},
		{"RateLimitBursts", emulator.Fault{Every: 6, Status: 429}, false},
		{"AllAtOnce", emulator.Fault{Every: 3, Status: 500}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, emulator.Options{Years: 2, RateWindow: 2 * time.Second})
			if tt.client {
				r.transport = func(base http.RoundTripper) http.RoundTripper {
					return &faultyTransport{base: base, resetEvery: 5, truncEvery: 7}
				}
			}
			r.emu.SetFault(tt.fault)
			if s := r.sync(); s.State != StateIdle {
				t.Fatalf("status = %+v, want idle after retries", s)
			}
			r.checkStored()
		})
	}
}

// TestRateLimitWaits: with a budget of 20 requests per window, the engine stops when it is spent, shows
// "waiting" with the time of its next request, and sends nothing before the reset (the emulator never had to
// refuse a request).
func TestRateLimitWaits(t *testing.T) {
	r := newRig(t, emulator.Options{Years: 2, RateLimit: 20, RateWindow: 3 * time.Second})
	run := r.runner()
	defer run.Close()
	h := run.Start(r.acct.ID)
	var waiting Status
	for done := false; !done; {
		select {
		case <-h.Done():
			done = true
		case <-time.After(20 * time.Millisecond):
			if s := run.Status(r.acct.ID); s.State == StateWaiting {
				waiting = s
			}
		}
	}
	if waiting.State != StateWaiting || waiting.NextAt.IsZero() || !strings.Contains(waiting.Message, "budget") {
		t.Errorf("never saw the sync waiting with its next request time; last seen %+v", waiting)
	}
	if n := r.emu.RateLimited(); n != 0 {
		t.Errorf("the emulator refused %d requests for the spent budget; the engine must wait before sending", n)
	}
	if s := run.Status(r.acct.ID); s.State != StateIdle || s.Requests <= 20 {
		t.Fatalf("final status = %+v, want idle after more than 20 requests", s)
	}
	r.checkStored()
}

// TestIncrementalSync: a later sync asks only for the recent days, mirrors a deletion upstream there, and leaves
// imported rows alone.
func TestIncrementalSync(t *testing.T) {
	r := newRig(t, emulator.Options{Years: 1})
	r.sync()
	logs := r.emu.WeightLogs()
	recent := logs[len(logs)-1].Date
	imp, err := r.db.CreateSource(t.Context(), store.Source{Kind: store.KindImport, Name: "weights.csv"})
	if err != nil {
		t.Fatal(err)
	}
	gone := store.Measurement{SourceID: r.acct.SourceID, Provider: "fitbit-oauth1", ExternalID: "999", Date: recent, Time: "12:34:56", WeightKg: 61, Method: store.MethodDevice}
	kept := store.Measurement{SourceID: imp.ID, Provider: "import", ExternalID: "csv:1", Date: recent, Time: "13:00:00", WeightKg: 62, Method: store.MethodImport}
	if _, err := r.db.UpsertMeasurements(t.Context(), []store.Measurement{gone, kept}); err != nil {
		t.Fatal(err)
	}
	s := r.sync()
	if s.State != StateIdle || s.Requests != 1 {
		t.Errorf("incremental sync: %+v, want idle after 1 request", s)
	}
	all, _ := r.db.History(t.Context())
	var sawKept bool
	for _, m := range all {
		if m.ExternalID == "999" {
			t.Error("a weigh-in deleted upstream in the re-checked week is still stored")
		}
		sawKept = sawKept || m.ExternalID == "csv:1"
	}
	if !sawKept || len(all) != len(logs)+1 {
		t.Errorf("%d rows (imported row kept: %v), want the %d synced plus the imported one", len(all), sawKept, len(logs))
	}
}

// TestResumeAfterStop: a sync stopped midway (shutdown) leaves whole windows only, and the next sync continues
// from the last one: the result is exactly the emulator's data.
func TestResumeAfterStop(t *testing.T) {
	r := newRig(t, emulator.Options{Years: 3, Latency: 10 * time.Millisecond})
	run := r.runner()
	run.Start(r.acct.ID)
	for run.Status(r.acct.ID).Requests < 8 {
		time.Sleep(5 * time.Millisecond)
	}
	run.Close()
	first := run.Status(r.acct.ID)
	cur, err := r.db.Cursor(t.Context(), r.acct.SourceID)
	var st struct {
		Oldest   string
		Complete bool
	}
	if err == nil {
		err = json.Unmarshal(cur, &st)
	}
	if err != nil || st.Complete || st.Oldest == "" {
		t.Fatalf("cursor after a stop = %s, %v; want a partial backfill", cur, err)
	}
	second := r.sync()
	if second.State != StateIdle {
		t.Fatalf("resumed sync: %+v", second)
	}
	r.checkStored()
	if total, bound := first.Requests+second.Requests, fitbit.LowerBound(r.span()); float64(total) > 1.1*float64(bound)+3 {
		t.Errorf("%d requests over both runs for a lower bound of %d: the resume repeated work", total, bound)
	}
}

// TestScheduledSync: Every starts a sync of each connected account on its own.
func TestScheduledSync(t *testing.T) {
	r := newRig(t, emulator.Options{Years: 1})
	if err := r.db.SaveCredentials(t.Context(), r.acct.ID, store.Credentials{Kind: "oauth1", Token: "t", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	run := r.runner()
	defer run.Close()
	run.Every(10 * time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for run.Status(r.acct.ID).Progress < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("no scheduled sync finished: %+v", run.Status(r.acct.ID))
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.checkStored()
}
