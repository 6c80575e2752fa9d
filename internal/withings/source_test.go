package withings

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

// rows is what the syncer would have stored: readings by external id, with each step's mirror applied.
type rows struct {
	byID    map[string]provider.Reading
	cursor  []byte
	profile provider.Profile
}

func (r *rows) apply(step provider.Step) {
	if step.Profile != nil {
		r.profile = *step.Profile
	}
	if m := step.Mirror; m != nil {
		keep := map[string]bool{}
		for _, id := range m.Keep {
			keep[id] = true
		}
		for _, x := range step.Readings {
			keep[x.ExternalID] = true
		}
		for id, x := range r.byID {
			if x.Date >= m.From && x.Date <= m.To && !keep[id] {
				delete(r.byID, id)
			}
		}
	}
	for _, x := range step.Readings {
		r.byID[x.ExternalID] = x
	}
	if step.Cursor != nil {
		r.cursor = step.Cursor
	}
}

// sync runs one sync to its end; it returns the requests it sent.
func (h *harness) sync(t *testing.T, tok connect.Token, r *rows) int {
	t.Helper()
	before := len(getmeasCalls(h.emu))
	acct := provider.Account{ID: 1, UserID: tok.UserID, Profile: r.profile}
	src, err := NewSource(NewClient(h.signIn.Client(context.Background(), tok), h.srv.URL), provider.SourceEnv{Account: acct, Cursor: r.cursor, Now: h.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("the sync does not end")
		}
		step, err := src.Next(context.Background())
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		r.apply(step)
		if step.Done {
			return len(getmeasCalls(h.emu)) - before
		}
	}
}

// want is the emulator's history as readings should show it: one per group with a weight.
func want(t *testing.T, emu *emulator.Emulator, heightM float64) map[string]provider.Reading {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/London")
	out := map[string]provider.Reading{}
	for _, g := range emu.WithingsGroups() {
		var kg, pct, fatKg float64
		for _, m := range g.Measures {
			switch m.Type {
			case TypeWeight:
				kg = emulator.WithingsValue(m)
			case TypeFatRatio:
				pct = emulator.WithingsValue(m)
			case TypeFatMass:
				fatKg = emulator.WithingsValue(m)
			}
		}
		if pct == 0 && fatKg > 0 {
			pct = fatKg / kg * 100
		}
		if kg == 0 {
			continue
		}
		at := time.Unix(g.Date, 0).In(loc)
		r := provider.Reading{ExternalID: strconv.FormatInt(g.GrpID, 10), Date: at.Format(time.DateOnly), Clock: at.Format(time.TimeOnly),
			Zone: "Europe/London", WeightKg: kg, Method: provider.Device, Device: "Withings " + g.Model, Unclaimed: g.Attrib == 1}
		if g.Attrib == 2 {
			r.Method, r.Device = provider.Manual, "Withings app"
		}
		if pct > 0 {
			r.FatPct = &pct
		}
		bmi := math.Round(kg/(heightM*heightM)*100) / 100
		r.BMI = &bmi
		out[r.ExternalID] = r
	}
	return out
}

func groupsWithBodyTypes(emu *emulator.Emulator) int {
	n := 0
	for _, g := range emu.WithingsGroups() {
		if slices.ContainsFunc(g.Measures, func(m emulator.WithingsMeasure) bool { return slices.Contains(bodyTypes, m.Type) }) {
			n++
		}
	}
	return n
}

func TestSourceFirstSyncAtTheLowerBound(t *testing.T) {
	for _, pageSize := range []int{50, 200, 1000} {
		t.Run(fmt.Sprint(pageSize), func(t *testing.T) {
			h := newHarness(t, 3*365, emulator.WithingsOptions{PageSize: pageSize, RateLimit: 1 << 20})
			tok := h.connect(t)
			r := &rows{byID: map[string]provider.Reading{}}
			got := h.sync(t, tok, r)
			bound := 1 + (groupsWithBodyTypes(h.emu)+pageSize-1)/pageSize
			t.Logf("page size %d: %d requests, lower bound %d (the profile + pages), %d weigh-ins", pageSize, got, bound, len(r.byID))
			if got != bound {
				t.Errorf("requests %d, lower bound %d", got, bound)
			}
			if diff := cmp.Diff(want(t, h.emu, 1.78), r.byID); diff != "" {
				t.Errorf("stored readings differ from the emulator's (-want +got):\n%s", diff)
			}
			if r.profile.TimeZone != "Europe/London" || r.profile.HeightCm != 178 || r.profile.UserID != "4827163" {
				t.Errorf("profile %+v", r.profile)
			}
		})
	}
}

func TestSourceFirstPageIsTheNewest(t *testing.T) {
	h := newHarness(t, 365, emulator.WithingsOptions{PageSize: 20})
	tok := h.connect(t)
	src, _ := NewSource(NewClient(h.signIn.Client(context.Background(), tok), h.srv.URL), provider.SourceEnv{Account: provider.Account{UserID: tok.UserID}, Now: h.clk.Now})
	profile, err := src.Next(context.Background())
	if err != nil || profile.Profile == nil || profile.Profile.HeightCm != 178 || len(profile.Readings) != 0 {
		t.Fatalf("the first step is the profile: %+v, %v", profile, err)
	}
	first, err := src.Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	newest := ""
	for _, x := range want(t, h.emu, 1.78) {
		newest = max(newest, x.Date+" "+x.Clock)
	}
	if got := first.Readings[0].Date + " " + first.Readings[0].Clock; got != newest || first.Readings[0].BMI == nil || first.Done {
		t.Errorf("first reading %s (BMI %v), newest %s", got, first.Readings[0].BMI, newest)
	}
}

func TestSourceIncremental(t *testing.T) {
	h := newHarness(t, 2*365, emulator.WithingsOptions{PageSize: 100, RateLimit: 1 << 20})
	tok := h.connect(t)
	r := &rows{byID: map[string]provider.Reading{}}
	first := h.sync(t, tok, r)

	h.clk.Add(time.Hour)
	if n := h.sync(t, tok, r); n != 1 {
		t.Errorf("a sync with nothing new sent %d requests, want 1", n)
	}

	// Edit one group of the re-checked week and one a year old, delete one of the week, add one.
	h.clk.Add(time.Hour)
	var recent, old []emulator.WithingsGroup
	for _, g := range h.emu.WithingsGroups() {
		age := h.clk.Now().Sub(time.Unix(g.Date, 0))
		if g.Attrib == 0 && age < 5*24*time.Hour {
			recent = append(recent, g)
		} else if g.Attrib == 0 && age > 365*24*time.Hour && len(old) == 0 {
			old = append(old, g)
		}
	}
	if len(recent) < 2 || len(old) != 1 {
		t.Fatalf("the history has %d recent groups and %d old", len(recent), len(old))
	}
	h.emu.WithingsEdit(recent[0].GrpID, 80.05)
	h.emu.WithingsEdit(old[0].GrpID, 90.5)
	h.emu.WithingsDelete(recent[1].GrpID)
	added := h.emu.WithingsAdd(emulator.WithingsGroup{Date: h.clk.Now().Add(-10 * time.Minute).Unix(), Model: "Body Scan", ModelID: 10,
		Measures: []emulator.WithingsMeasure{{Value: 791234, Type: TypeWeight, Unit: -4}, {Value: 1834, Type: TypeFatMass, Unit: -2}}})
	calls := len(getmeasCalls(h.emu))
	n := h.sync(t, tok, r)
	for _, c := range getmeasCalls(h.emu)[calls:] {
		t.Logf("incremental request: action=%s meastypes=%s category=%s lastupdate=%s offset=%q -> status %d",
			c.Params["action"], c.Params["meastypes"], c.Params["category"], c.Params["lastupdate"], c.Params["offset"], c.Status)
	}
	t.Logf("first sync %d requests; after edit, edit, delete, add: %d", first, n)
	if n != 1 {
		t.Errorf("the incremental sync sent %d requests, want 1", n)
	}
	if diff := cmp.Diff(want(t, h.emu, 1.78), r.byID); diff != "" {
		t.Errorf("after the incremental sync (-emulator +stored):\n%s", diff)
	}
	x := r.byID[strconv.FormatInt(added, 10)]
	if x.WeightKg != 79.1234 || x.FatPct == nil || math.Abs(*x.FatPct-18.34/79.1234*100) > 1e-9 || x.Device != "Withings Body Scan" {
		t.Errorf("the added reading: %+v", x)
	}
}

func TestSourceResumesABackfill(t *testing.T) {
	h := newHarness(t, 365, emulator.WithingsOptions{PageSize: 40, RateLimit: 1 << 20})
	tok := h.connect(t)
	r := &rows{byID: map[string]provider.Reading{}}
	src, _ := NewSource(NewClient(h.signIn.Client(context.Background(), tok), h.srv.URL), provider.SourceEnv{Account: provider.Account{UserID: tok.UserID}, Now: h.clk.Now})
	for range 4 { // the profile and three pages, then the process dies
		step, err := src.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		r.apply(step)
	}
	h.sync(t, tok, r) // a new Source from the stored cursor
	if diff := cmp.Diff(want(t, h.emu, 1.78), r.byID); diff != "" {
		t.Errorf("after a resumed backfill (-emulator +stored):\n%s", diff)
	}
	if n := h.sync(t, tok, r); n != 1 {
		t.Errorf("the sync after it sent %d requests", n)
	}
}

func TestSourceRateLimitWaitedOut(t *testing.T) {
	h := newHarness(t, 365, emulator.WithingsOptions{PageSize: 50, RateLimit: 4})
	tok := h.connect(t) // the code exchange is one of the minute's four requests
	r := &rows{byID: map[string]provider.Reading{}}
	src, _ := NewSource(NewClient(h.signIn.Client(context.Background(), tok), h.srv.URL), provider.SourceEnv{Account: provider.Account{UserID: tok.UserID}, Now: h.clk.Now})
	for range 3 {
		step, err := src.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		r.apply(step)
	}
	_, err := src.Next(context.Background())
	wait := provider.RetryAfter(err)
	if !errors.Is(err, provider.ErrRateLimited) || wait <= 0 || wait > time.Minute {
		t.Fatalf("got %v, wait %v; want a 601 with wait_seconds", err, wait)
	}
	h.clk.Add(wait)
	step, err := src.Next(context.Background()) // the failed Next left the Source as it was: the same page again
	if err != nil {
		t.Fatal(err)
	}
	calls := getmeasCalls(h.emu)
	if last, failed := calls[len(calls)-1], calls[len(calls)-2]; failed.Status != 601 || last.Params["offset"] != failed.Params["offset"] || last.Params["offset"] != "100" {
		t.Errorf("the retry asked offset %q after a 601 for offset %q", last.Params["offset"], failed.Params["offset"])
	}
	r.apply(step)
}

func TestSourceRecheckOverSeveralPages(t *testing.T) {
	h := newHarness(t, 120, emulator.WithingsOptions{PageSize: 3, RateLimit: 1 << 20})
	tok := h.connect(t)
	r := &rows{byID: map[string]provider.Reading{}}
	h.sync(t, tok, r)
	h.clk.Add(time.Hour)
	var week []int64
	for _, g := range h.emu.WithingsGroups() {
		if h.clk.Now().Sub(time.Unix(g.Date, 0)) < 6*24*time.Hour && g.Attrib == 0 {
			week = append(week, g.GrpID)
		}
	}
	if len(week) < 4 {
		t.Fatalf("%d weigh-ins in the last week", len(week))
	}
	h.emu.WithingsDelete(week[len(week)-1]) // the oldest of the week: on the re-check's last page
	h.emu.WithingsDelete(week[0])           // the newest: on its first
	n := h.sync(t, tok, r)
	if diff := cmp.Diff(want(t, h.emu, 1.78), r.byID); diff != "" {
		t.Errorf("after a re-check of %d requests (-emulator +stored):\n%s", n, diff)
	}
	if n < 2 {
		t.Errorf("a re-check of %d groups in pages of 3 took %d requests", len(week), n)
	}
}
