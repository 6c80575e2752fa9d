package ihealth

import (
	"errors"
	"math"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

// londonOffset is Europe/London's offset at a wall clock, as "+01:00".
func londonOffset(t *testing.T, date, clock string) string {
	t.Helper()
	loc, _ := time.LoadLocation("Europe/London")
	at, err := time.ParseInLocation("2006-01-02 15:04:05", date+" "+clock, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at.Format("-07:00")
}

// TestSyncMatchesTheEmulator: a first sync brings every weigh-in with its local date and time, its offset
// (London's, across every daylight-saving change of two years), its kilograms, and no fat where none was measured.
func TestSyncMatchesTheEmulator(t *testing.T) {
	f := newFixture(t, 0, emulator.IHealthOptions{})
	tok := f.connectAccount(t)
	steps := syncAll(t, f.source(t, tok, nil))
	got := readingsOf(steps)
	logs := f.emu.WeightLogs()
	if len(got) != len(logs) {
		t.Fatalf("%d readings, want %d", len(got), len(logs))
	}
	slices.SortFunc(got, func(a, b provider.Reading) int {
		if a.Date+a.Clock < b.Date+b.Clock {
			return -1
		}
		return 1
	})
	seen := map[string]bool{}
	for i, l := range logs {
		r := got[i]
		if r.Date != l.Date || r.Clock != l.Time || math.Abs(r.WeightKg-l.WeightKg) > 1e-9 {
			t.Fatalf("reading %d: %s %s %v kg, want %s %s %v", i, r.Date, r.Clock, r.WeightKg, l.Date, l.Time, l.WeightKg)
		}
		if want := londonOffset(t, l.Date, l.Time); r.Zone != want {
			t.Errorf("reading %d (%s %s): zone %q, want %q", i, r.Date, r.Clock, r.Zone, want)
		}
		if l.HasFat != (r.FatPct != nil) || (r.FatPct != nil && *r.FatPct != l.FatPct) {
			t.Errorf("reading %d: fat %v, want %v (measured %v)", i, r.FatPct, l.FatPct, l.HasFat)
		}
		if (l.Source == "Web") != (r.Method == provider.Manual) {
			t.Errorf("reading %d: method %s for a %s weigh-in", i, r.Method, l.Source)
		}
		if seen[r.ExternalID] || len(r.ExternalID) != 32 {
			t.Errorf("reading %d: external id %q repeated or not a DataID", i, r.ExternalID)
		}
		seen[r.ExternalID] = true
	}
	if steps[0].Profile == nil || steps[0].Profile.Unit != "kg" {
		t.Errorf("first step's profile %+v, want the account's unit", steps[0].Profile)
	}
	if last := steps[len(steps)-1]; !last.Done || last.Progress != 1 || last.Oldest != FirstDay.Format(time.DateOnly) {
		t.Errorf("last step %+v", last)
	}
}

// TestSameKilogramsInEveryUnit: kg, lb and stone accounts store the same kilograms.
func TestSameKilogramsInEveryUnit(t *testing.T) {
	var base []provider.Reading
	for unit, name := range []string{"kg", "lb", "st"} {
		f := newFixture(t, 90, emulator.IHealthOptions{Unit: unit})
		steps := syncAll(t, f.source(t, f.connectAccount(t), nil))
		got := readingsOf(steps)
		if steps[0].Profile.Unit != name {
			t.Errorf("unit %d: profile unit %q, want %q", unit, steps[0].Profile.Unit, name)
		}
		if base == nil {
			base = got
			continue
		}
		if len(got) != len(base) {
			t.Fatalf("unit %d: %d readings, want %d", unit, len(got), len(base))
		}
		for i := range got {
			if math.Abs(got[i].WeightKg-base[i].WeightKg) > 1e-9 {
				t.Errorf("unit %d reading %d: %v kg, want %v", unit, i, got[i].WeightKg, base[i].WeightKg)
			}
		}
	}
}

// TestEveryTimeZoneSpelling: "+0100", "0100", 1 and "+01:00" give the same zone; an empty TimeZone none, with
// the local time still right.
func TestEveryTimeZoneSpelling(t *testing.T) {
	for _, style := range []string{"signed", "unsigned", "int", "colon", "empty", ""} {
		f := newFixture(t, 400, emulator.IHealthOptions{Zones: style})
		for _, r := range readingsOf(syncAll(t, f.source(t, f.connectAccount(t), nil))) {
			want := londonOffset(t, r.Date, r.Clock)
			if style == "empty" {
				want = ""
			}
			if r.Zone != want {
				t.Fatalf("zones %q: %s %s has zone %q, want %q", style, r.Date, r.Clock, r.Zone, want)
			}
		}
	}
}

// TestDeletionShowsAsAMissingRecord: a later sync re-fetches the last week and mirrors it, so a record deleted
// upstream is gone from the span and nothing older is touched.
func TestDeletionShowsAsAMissingRecord(t *testing.T) {
	f := newFixture(t, 120, emulator.IHealthOptions{})
	tok := f.connectAccount(t)
	first := syncAll(t, f.source(t, tok, nil))
	all := readingsOf(first)
	victim := all[0] // the newest year's first page is oldest first; pick a recent one instead
	for _, r := range all {
		if r.Date > victim.Date {
			victim = r
		}
	}
	f.emu.DeleteIHealthRecord(victim.ExternalID)
	steps := syncAll(t, f.source(t, tok, lastCursor(first)))
	var mirror *provider.Mirror
	var listed []string
	for _, s := range steps {
		for _, r := range s.Readings {
			listed = append(listed, r.ExternalID)
		}
		if s.Mirror != nil {
			mirror = s.Mirror
		}
	}
	if mirror == nil || victim.Date < mirror.From || victim.Date > mirror.To {
		t.Fatalf("mirror %+v does not cover the deleted record's date %s", mirror, victim.Date)
	}
	if slices.Contains(listed, victim.ExternalID) || slices.Contains(mirror.Keep, victim.ExternalID) {
		t.Error("the deleted record is still listed")
	}
	if len(steps) > 3 {
		t.Errorf("a later sync took %d requests, want the week's re-check only", len(steps))
	}
}

// TestNextPageUrlOnAnotherHostIsNeverFollowed: the next page is asked on the configured host by page_index,
// whatever host NextPageUrl names.
func TestNextPageUrlOnAnotherHostIsNeverFollowed(t *testing.T) {
	other := &fake{status: 200, body: `{"WeightDataList":[],"WeightUnit":0,"NextPageUrl":""}`}
	srv := httptest.NewServer(other)
	defer srv.Close()
	f := newFixture(t, 200, emulator.IHealthOptions{NextPageHost: srv.URL})
	got := readingsOf(syncAll(t, f.source(t, f.connectAccount(t), nil)))
	if other.hits != 0 {
		t.Errorf("the other host got %d requests", other.hits)
	}
	if len(got) != len(f.emu.WeightLogs()) || len(got) <= PageLength {
		t.Errorf("%d readings over several pages, want %d", len(got), len(f.emu.WeightLogs()))
	}
}

// TestBurstsAndTheHourlyBudgetWait: a 503 burst and limits_hour_error are rate limits with a wait, and the
// failed Next is repeated unchanged.
func TestBurstsAndTheHourlyBudgetWait(t *testing.T) {
	f := newFixture(t, 60, emulator.IHealthOptions{})
	tok := f.connectAccount(t)
	want := readingsOf(syncAll(t, f.source(t, tok, nil)))

	s := f.source(t, tok, nil)
	f.emu.IHealthFault("burst", 1)
	_, err := s.Next(t.Context())
	if !errors.Is(err, provider.ErrRateLimited) || provider.RetryAfter(err) <= 0 {
		t.Fatalf("burst: %v (retry in %v), want a rate limit with a wait", err, provider.RetryAfter(err))
	}
	if got := readingsOf(syncAll(t, s)); len(got) != len(want) {
		t.Errorf("after the burst: %d readings, want %d", len(got), len(want))
	}

	f.emu.SetIHealth(emulator.IHealthOptions{HourlyLimit: 1})
	s = f.source(t, tok, nil)
	_, _ = s.Next(t.Context())
	_, err = s.Next(t.Context())
	if !errors.Is(err, provider.ErrRateLimited) || provider.RetryAfter(err) <= 0 || provider.RetryAfter(err) > time.Hour {
		t.Errorf("hourly budget: %v (retry in %v), want a wait of at most an hour", err, provider.RetryAfter(err))
	}
	if d := f.prov.Describe(err); d == "" {
		t.Error("no sentence for the hourly limit")
	}
}

// TestHTMLPageIsMalformed: an HTML page instead of JSON is a retryable malformed answer, and nothing is lost.
func TestHTMLPageIsMalformed(t *testing.T) {
	f := newFixture(t, 30, emulator.IHealthOptions{})
	s := f.source(t, f.connectAccount(t), nil)
	f.emu.IHealthFault("html", 1)
	st, err := s.Next(t.Context())
	if !errors.Is(err, provider.ErrMalformed) || !provider.Retryable(err) || st.Readings != nil {
		t.Fatalf("HTML page: %v, %+v; want a retryable ErrMalformed", err, st)
	}
	if got := readingsOf(syncAll(t, s)); len(got) != len(f.emu.WeightLogs()) {
		t.Errorf("%d readings after the retry, want %d", len(got), len(f.emu.WeightLogs()))
	}
}

// TestEURegionFromTheTokenAnswer: an account whose token answer names another host is read there.
func TestEURegionFromTheTokenAnswer(t *testing.T) {
	f := newFixture(t, 30, emulator.IHealthOptions{})
	eu := httptest.NewServer(f.emu)
	defer eu.Close()
	f.emu.SetIHealth(emulator.IHealthOptions{Region: eu.URL})
	tok := f.connectAccount(t)
	if tok.Secret != eu.URL {
		t.Fatalf("region %q, want %q", tok.Secret, eu.URL)
	}
	if got := readingsOf(syncAll(t, f.source(t, tok, nil))); len(got) != len(f.emu.WeightLogs()) {
		t.Errorf("%d readings, want %d", len(got), len(f.emu.WeightLogs()))
	}
	tok.Secret = "" // as if the region were lost: the configured host answers 2005
	_, err := f.source(t, tok, nil).Next(t.Context())
	if !errors.Is(err, ErrRegion) || f.prov.Describe(err) == "" {
		t.Errorf("at the wrong host: %v", err)
	}
}

// TestErrorsWithAnotherStatus: iHealth's error body means the same with HTTP 400 as with 200.
func TestErrorsWithAnotherStatus(t *testing.T) {
	f := newFixture(t, 30, emulator.IHealthOptions{ErrorStatus: 400})
	tok := f.connectAccount(t)
	f.signIn.c.SV = "wrong"
	_, err := f.source(t, tok, nil).Next(t.Context())
	if !errors.Is(err, ErrAppCredentials) || provider.Retryable(err) || f.prov.Describe(err) == "" {
		t.Errorf("wrong sv with HTTP 400: %v", err)
	}
}
