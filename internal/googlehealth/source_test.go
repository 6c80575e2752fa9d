package googlehealth

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/bodystats/bodystats/internal/emulator"
	"github.com/bodystats/bodystats/internal/provider"
)

// byID indexes readings by external id, failing on a duplicate within one sync.
func byID(t *testing.T, rs []provider.Reading) map[string]provider.Reading {
	t.Helper()
	out := map[string]provider.Reading{}
	for _, r := range rs {
		if _, dup := out[r.ExternalID]; dup {
			t.Errorf("reading %s listed twice in one sync", r.ExternalID)
		}
		out[r.ExternalID] = r
	}
	return out
}

// TestSourceProfile: the profile steps carry the membership, the settings' units and zone, and the newest height.
func TestSourceProfile(t *testing.T) {
	tests := []struct {
		name            string
		scopes          []string
		weight, height  string
		unit, hunit, tz string
	}{
		{"Metric", allScopes, "WEIGHT_UNIT_KILOGRAMS", "HEIGHT_UNIT_CENTIMETERS", "kg", "cm", "Europe/London"},
		{"Pounds", allScopes, "WEIGHT_UNIT_POUNDS", "HEIGHT_UNIT_INCHES", "lb", "ftin", "Europe/London"},
		{"Stone", allScopes, "WEIGHT_UNIT_STONE", "HEIGHT_UNIT_CENTIMETERS", "st", "cm", "Europe/London"},
		{"UnknownUnit", allScopes, "WEIGHT_UNIT_GRAINS", "HEIGHT_UNIT_CUBITS", "", "", "Europe/London"},
		{"NoSettingsScope", Scopes, "WEIGHT_UNIT_POUNDS", "HEIGHT_UNIT_INCHES", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEmulated(t, emulator.Options{Days: 60}, tt.scopes...)
			e.emu.SetGoogleUnits(tt.weight, tt.height)
			res := e.sync(t, nil, 0, 0)
			if res.err != nil || !res.done {
				t.Fatalf("sync: %v", res.err)
			}
			want := provider.Profile{MemberSince: e.emu.GoogleUser().MembershipStartDate, Unit: tt.unit, HeightUnit: tt.hunit,
				TimeZone: tt.tz, HeightCm: e.emu.User().HeightCm}
			if res.profile != want {
				t.Errorf("profile = %+v, want %+v", res.profile, want)
			}
			if got, want := len(res.readings), len(e.emu.WeightLogs()); got != want {
				t.Errorf("%d readings, want %d: the history syncs whatever the settings say", got, want)
			}
			if res.requests != 5 {
				t.Errorf("%d requests, want 5 (profile, settings, height, weights, their body fat)", res.requests)
			}
		})
	}
}

// TestSourceHeightSkipsBrokenOnes: newer heights that cannot be believed leave the older one in force.
func TestSourceHeightSkipsBrokenOnes(t *testing.T) {
	e := newEmulated(t, emulator.Options{Days: 30}, allScopes...)
	now := time.Now()
	for i, mm := range []string{"abc", "0", "4000"} {
		e.emu.AddGoogleHeight(now.Add(-time.Duration(i+1)*time.Hour), mm)
	}
	res := e.sync(t, nil, 0, 0)
	if res.err != nil || res.profile.HeightCm != e.emu.User().HeightCm {
		t.Fatalf("height = %v (%v), want the older readable %v", res.profile.HeightCm, res.err, e.emu.User().HeightCm)
	}
	e.emu.AddGoogleHeight(now, "1812")
	if res := e.sync(t, nil, 0, 0); res.profile.HeightCm != 181.2 {
		t.Errorf("a newer good height: %v cm, want 181.2", res.profile.HeightCm)
	}
}

// TestSourceReadings: each weigh-in carries its fat, its zone, its source label and method.
func TestSourceReadings(t *testing.T) {
	e := newEmulated(t, emulator.Options{Days: 120}, allScopes...)
	res := e.sync(t, nil, 0, 0)
	got := byID(t, res.readings)
	for _, l := range e.emu.WeightLogs() {
		id := "users/" + e.emu.GoogleUser().HealthUserID + "/dataTypes/weight/dataPoints/" + jsonNumber(l.LogID)
		r, ok := got[id]
		switch {
		case !ok:
			t.Errorf("weigh-in %s missing", id)
			continue
		case r.Date != l.Date || r.Clock != l.Time:
			t.Errorf("%s at %s %s, want %s %s", id, r.Date, r.Clock, l.Date, l.Time)
		case (r.FatPct != nil) != l.HasFat || (l.HasFat && *r.FatPct != l.FatPct):
			t.Errorf("%s fat %v, want %v (%v)", id, r.FatPct, l.FatPct, l.HasFat)
		case l.Source == "Aria" && (r.Device != "Aria Air" || r.Method != provider.Device):
			t.Errorf("%s from %q (%s), want Aria Air (device)", id, r.Device, r.Method)
		case l.Source != "Aria" && (r.Device != "manual" || r.Method != provider.Manual):
			t.Errorf("%s from %q (%s), want manual", id, r.Device, r.Method)
		case r.Zone != "+00:00" && r.Zone != "+01:00":
			t.Errorf("%s zone %q, want London's offset", id, r.Zone)
		}
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestSourceResume: a ten-year sync killed half-way resumes from its checkpoint: every weigh-in ends up listed,
// the resumed sync sends fewer requests than a fresh one, and, when Google has forgotten the page token, it goes
// on by time.
func TestSourceResume(t *testing.T) {
	for _, expire := range []bool{false, true} {
		e := newEmulated(t, emulator.Options{Years: 10}, allScopes...)
		e.emu.SetGoogleMaxPageSize(250) // pages shorter than asked: ten years take many of them
		all := len(e.emu.WeightLogs())
		fresh := e.sync(t, nil, 0, 0)
		if fresh.err != nil || len(byID(t, fresh.readings)) != all {
			t.Fatalf("fresh sync: %d readings of %d, %v", len(fresh.readings), all, fresh.err)
		}
		var fat int
		for _, l := range e.emu.WeightLogs() {
			if l.HasFat {
				fat++
			}
		}
		pages := func(n int) int { return (n + 249) / 250 }
		if want := 3 + 2*pages(all); fresh.requests != want { // each weights page and its span's body fat
			t.Errorf("fresh sync: %d requests, want %d", fresh.requests, want)
		}

		killAt := 3 + 2*(pages(all)/2) // half the weight pages stored
		killed := e.sync(t, nil, 0, killAt)
		if expire {
			e.emu.ExpireGooglePageTokens()
		}
		resumed := e.sync(t, killed.cursor, 0, 0)
		if resumed.err != nil || !resumed.done {
			t.Fatalf("resumed sync: %v", resumed.err)
		}
		union := byID(t, killed.readings)
		again := 0
		for _, r := range resumed.readings {
			if _, ok := union[r.ExternalID]; ok {
				again++ // the points at the checkpoint's instant come again and replace themselves
			}
			union[r.ExternalID] = r
		}
		if len(union) != all {
			t.Errorf("expire=%v: killed + resumed list %d weigh-ins, want %d", expire, len(union), all)
		}
		if again > 1 {
			t.Errorf("expire=%v: %d weigh-ins listed by both runs, want at most the one at the checkpoint", expire, again)
		}
		// The rest of the pages, each with its body fat, and one refused request when the token had expired.
		if want := 2*(pages(all)-pages(all)/2) + map[bool]int{false: 0, true: 1}[expire]; resumed.requests != want {
			t.Errorf("expire=%v: resumed sync sent %d requests, want %d (a fresh one %d)", expire, resumed.requests, want, fresh.requests)
		}
		for _, r := range resumed.readings {
			if want, ok := fresh.readings[0], true; ok && r.ExternalID == want.ExternalID && r.FatPct == nil && want.FatPct != nil {
				t.Errorf("resumed reading %s lost its body fat", r.ExternalID)
			}
		}
		withFat := 0
		for _, r := range union {
			if r.FatPct != nil {
				withFat++
			}
		}
		if withFat != fat {
			t.Errorf("expire=%v: %d weigh-ins with body fat after the resume, want %d", expire, withFat, fat)
		}
		t.Logf("10 years, %d weigh-ins, pages of 250 (expire tokens %v): fresh sync %d requests; killed after %d, resumed with %d",
			all, expire, fresh.requests, killed.requests, resumed.requests)
		var c cursor
		if err := json.Unmarshal(resumed.cursor, &c); err != nil || !c.Complete || c.Run != nil {
			t.Errorf("final cursor %s: want complete, no run", resumed.cursor)
		}
	}
}

// TestSourceResumedRecheckMirrors: a re-check killed between pages keeps, in its mirror, what it listed before.
func TestSourceResumedRecheckMirrors(t *testing.T) {
	e := newEmulated(t, emulator.Options{Days: 90}, allScopes...)
	first := e.sync(t, nil, 0, 0)
	e.emu.SetGoogleMaxPageSize(2)
	var killed syncResult
	for k := 4; ; k++ { // profile, settings, height, the fat pages, then the first weight page with a checkpoint
		killed = e.sync(t, first.cursor, 0, k)
		var c cursor
		if err := json.Unmarshal(killed.cursor, &c); err == nil && c.Run != nil && len(c.Run.Seen) > 0 {
			break
		}
		if killed.done || killed.err != nil {
			t.Fatalf("the re-check ended (%v) before leaving a checkpoint with the ids seen", killed.err)
		}
	}
	src, err := NewSource(NewClient(&http.Client{Transport: e.rec}, e.url), provider.SourceEnv{Cursor: killed.cursor}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var last provider.Step
	for !last.Done {
		if last, err = src.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if last.Mirror == nil {
		t.Fatal("the re-check's last page has no mirror")
	}
	kept := map[string]bool{}
	for _, id := range last.Mirror.Keep {
		kept[id] = true
	}
	for _, r := range killed.readings {
		if !kept[r.ExternalID] {
			t.Errorf("%s, listed before the kill, is not kept by the mirror: it would be deleted", r.ExternalID)
		}
	}
}

// TestSourceBudget: the Source counts its requests and reports the minute's budget spent after 300.
func TestSourceBudget(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	c, _ := serve(t, ok(`{}`))
	src, err := NewSource(c, provider.SourceEnv{Now: func() time.Time { return now }}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if lim := src.RateLimit(); !lim.Known || lim.Remaining != RequestsPerMinute {
		t.Fatalf("before any request: %+v", lim)
	}
	for i := range RequestsPerMinute {
		src.phase = phaseProfile
		src.Next(context.Background())
		now = now.Add(100 * time.Millisecond)
		if i == 0 {
			now = now.Add(10 * time.Second)
		}
	}
	lim := src.RateLimit()
	if lim.Remaining != 0 || lim.Reset <= 0 || lim.Reset > time.Minute {
		t.Errorf("after 300 requests in 40 s: %+v, want none left and a reset within the minute", lim)
	}
	now = now.Add(lim.Reset)
	if lim := src.RateLimit(); lim.Remaining != 1 {
		t.Errorf("once the first request is a minute old: %+v, want one left", lim)
	}
}

// TestSourceBadPoints: a weight point without weightGrams and a body fat of 140% lose nothing: the sync goes on,
// the weigh-in at that instant is kept without a body fat.
func TestSourceBadPoints(t *testing.T) {
	fat140 := `{"name":"users/1/dataTypes/body-fat/dataPoints/1","bodyFat":{"sampleTime":{"physicalTime":"2026-01-02T07:31:12Z","utcOffset":"0s"},"percentage":140}}`
	c, f := serve(t,
		ok(`{"name":"users/me/profile","membershipStartDate":{"year":2020,"month":1,"day":1}}`),
		answer{status: http.StatusForbidden, body: googleError(403, "PERMISSION_DENIED", "no scope")},
		ok(`{}`),
		ok(`{"dataPoints":[`+noteWeightPoint+`,`+secretPoint(goodTime, `"notes":"x"`)+`]}`),
		ok(`{"dataPoints":[`+fat140+`]}`),
	)
	src, err := NewSource(c, provider.SourceEnv{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var readings []provider.Reading
	for step := (provider.Step{}); !step.Done; {
		if step, err = src.Next(context.Background()); err != nil {
			t.Fatalf("request %d: %v", f.count(), err)
		}
		readings = append(readings, step.Readings...)
	}
	if len(readings) != 1 || readings[0].FatPct != nil || readings[0].WeightKg != 82.4 {
		t.Errorf("readings %+v, want the one good weigh-in without body fat", readings)
	}
	if f.count() != 5 {
		t.Errorf("%d requests, want 5", f.count())
	}
}
