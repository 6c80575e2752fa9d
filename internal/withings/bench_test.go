package withings

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/provider"
)

// syncFigures are one first sync's figures: requests, and the wall time until the first weigh-ins arrived (the
// first chart) and until the end.
type syncFigures struct {
	requests, readings int
	firstChart, total  time.Duration
}

// drive runs a Source to its end as the syncer does, one request per Next.
func drive(b *testing.B, src provider.Source) syncFigures {
	b.Helper()
	var f syncFigures
	start := time.Now()
	for {
		step, err := src.Next(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		f.requests++
		if len(step.Readings) > 0 && f.firstChart == 0 {
			f.firstChart = time.Since(start)
		}
		f.readings += len(step.Readings)
		if step.Done {
			f.total = time.Since(start)
			return f
		}
	}
}

// BenchmarkFirstSync10Years syncs a 10-year history at 100 ms per request through the Withings Source and,
// beside it in the same run, the Fitbit Source over the same history, and reports each against its lower
// bound: for Withings the profile plus the pages the history needs, ceil(groups / page size).
func BenchmarkFirstSync10Years(b *testing.B) {
	const latency = 100 * time.Millisecond
	clk := &clock{t: time.Now()}
	emu := emulator.New(emulator.Options{Now: clk.Now, Years: 10, Latency: latency, RateLimit: 1 << 20})
	emu.SetWithings(emulator.WithingsOptions{RateLimit: 1 << 20})
	emu.AddWithingsClient(testClientID, testSecret, testRedirect)
	emu.AddConsumer("ck", "cs")
	srv := httptest.NewServer(emu)
	defer srv.Close()
	h := &harness{emu: emu, srv: srv, clk: clk}
	h.signIn = h.newSignIn(testSecret, testRedirect)
	tok := h.connect(b)
	ftok, fsec := emu.IssueAccessToken("ck")
	pageSize := 200 // the emulator's default
	bound := 1 + (groupsWithBodyTypes(emu)+pageSize-1)/pageSize
	first, _ := time.Parse(time.DateOnly, emu.User().MemberSince)
	fbound := fitbit.LowerBound(int(time.Since(first).Hours()/24) + 1)

	var w, f syncFigures
	for b.Loop() {
		src, err := NewSource(NewClient(h.signIn.Client(context.Background(), tok), srv.URL), provider.SourceEnv{Account: provider.Account{UserID: tok.UserID}, Now: clk.Now})
		if err != nil {
			b.Fatal(err)
		}
		w = drive(b, src)
		hc := oauth1.NewConfig("ck", "cs").Client(context.Background(), oauth1.NewToken(ftok, fsec))
		fsrc, err := fitbit.NewSource(fitbit.NewClient(hc, srv.URL), provider.SourceEnv{Account: provider.Account{UserID: emu.User().EncodedID}, Now: time.Now})
		if err != nil {
			b.Fatal(err)
		}
		f = drive(b, fsrc)
	}
	b.Logf("10-year history, %v per request; requests vs lower bound, time to first chart, total", latency)
	b.Logf("withings: %3d requests, bound %3d, %.3fx, first chart %.2fs, total %.2fs, %d weigh-ins", w.requests, bound,
		float64(w.requests)/float64(bound), w.firstChart.Seconds(), w.total.Seconds(), w.readings)
	b.Logf("fitbit:   %3d requests, bound %3d, %.3fx, first chart %.2fs, total %.2fs, %d weigh-ins", f.requests, fbound,
		float64(f.requests)/float64(fbound), f.firstChart.Seconds(), f.total.Seconds(), f.readings)
	b.ReportMetric(float64(w.requests)/float64(bound), "withings-requests/bound")
	b.ReportMetric(w.firstChart.Seconds(), "withings-first-chart-s")
	b.ReportMetric(float64(f.requests)/float64(fbound), "fitbit-requests/bound")
	b.ReportMetric(f.firstChart.Seconds(), "fitbit-first-chart-s")
}
