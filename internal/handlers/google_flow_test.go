package handlers_test

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/googlehealth"
)

// bmi2 is a BMI as the export writes it: two decimals.
func bmi2(kg, cm float64) string {
	return strconv.FormatFloat(math.Round(kg/(cm/100*cm/100)*100)/100, 'f', -1, 64)
}

// TestGoogleHealthFlow: connected without the settings scope, the history syncs in kilograms; the account's own
// height gives BMI on the dashboard, /bmi and the export's bmi column; Settings says where the height came from,
// and a height the person enters wins.
func TestGoogleHealthFlow(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	dash := b.connectOAuth2("google-health", googlehealth.Scopes...)
	logs := e.emu.WeightLogs()
	last, lastFat := latest(logs)
	googleCm := e.emu.User().HeightCm
	if !shows(dash.body, "weight", one(last.WeightKg)) || !shows(dash.body, "fat", one(lastFat.FatPct)) {
		t.Fatalf("dashboard does not show weight %s and fat %s in kg:\n%s", one(last.WeightKg), one(lastFat.FatPct), dash.body)
	}
	wantBMI := one(last.WeightKg / (googleCm / 100 * googleCm / 100))
	if !shows(dash.body, "bmi", wantBMI) {
		t.Errorf("dashboard does not show the BMI %s from Google's height %v cm", wantBMI, googleCm)
	}
	if p := b.get("/bmi"); !shows(p.body, "bmi", wantBMI) {
		t.Errorf("/bmi does not show %s", wantBMI)
	}
	if p := b.get("/settings"); !strings.Contains(p.body, `value="`+strconv.FormatFloat(googleCm, 'f', -1, 64)+`"`) ||
		!strings.Contains(p.body, "This height comes from Google Health") {
		t.Errorf("Settings does not show Google's height as Google's:\n%s", p.body)
	}
	if p := b.get("/settings"); strings.Contains(p.body, "height-feet") {
		t.Errorf("without Google's settings, Settings shows the height in feet")
	}

	// Every weigh-in once, with its body fat and a BMI from the height, in the fewest requests.
	rows := exportRows(t, b)
	if len(rows) != len(logs) {
		t.Fatalf("export has %d rows, want %d", len(rows), len(logs))
	}
	for i, l := range logs {
		r := rows[i]
		wantFat := ""
		if l.HasFat {
			wantFat = strconv.FormatFloat(l.FatPct, 'f', -1, 64)
		}
		if r[0] != l.Date || r[1] != l.Time || r[2] != strconv.FormatFloat(l.WeightKg, 'f', -1, 64) || r[3] != bmi2(l.WeightKg, googleCm) ||
			r[4] != wantFat || r[6] != "google-health" {
			t.Fatalf("export row %d = %v, want %s %s %v kg bmi %s fat %q", i, r, l.Date, l.Time, l.WeightKg, bmi2(l.WeightKg, googleCm), wantFat)
		}
	}
	// profile, settings (refused: not granted), height, one body-fat page, one weight page; +1 identity at sign-in.
	if s := b.status(); s.Requests != 5 || e.emu.HealthRequests() != 6 {
		t.Errorf("sync made %d requests (emulator: %d Health API requests), want 5 (+1 identity)", s.Requests, e.emu.HealthRequests())
	}

	// An entered height wins, and stays after the next sync.
	if p := b.post("/settings", url.Values{"height_cm": {"180"}}); p.status != http.StatusSeeOther {
		t.Fatalf("POST /settings: status %d\n%s", p.status, p.body)
	}
	if p := b.post("/sync", nil); p.status >= 400 {
		t.Fatalf("POST /sync: %d", p.status)
	}
	b.waitSync()
	entered := one(last.WeightKg / (1.8 * 1.8))
	if p := b.get("/bmi"); !shows(p.body, "bmi", entered) {
		t.Errorf("/bmi after entering 180 cm and a sync does not show %s", entered)
	}
	if p := b.get("/settings"); !strings.Contains(p.body, `value="180"`) || !strings.Contains(p.body, "You entered this height") {
		t.Errorf("Settings does not show the entered height as entered")
	}
	if rows := exportRows(t, b); rows[len(rows)-1][3] != bmi2(last.WeightKg, 180) {
		t.Errorf("export bmi after entering 180 cm: %q, want %s", rows[len(rows)-1][3], bmi2(last.WeightKg, 180))
	}
	if p := b.post("/settings", url.Values{"height_cm": {"17.8"}}); p.status != http.StatusBadRequest {
		t.Errorf("an implausible height: status %d, want 400", p.status)
	}
}

// TestGoogleHealthUnits: an account whose Google settings say pounds (or stone) shows them on every page without
// the person touching Settings, once the settings scope is granted; a unit picked in Settings wins.
func TestGoogleHealthUnits(t *testing.T) {
	for _, tt := range []struct {
		setting string
		unit    body.Unit
	}{{"WEIGHT_UNIT_POUNDS", body.Pounds}, {"WEIGHT_UNIT_STONE", body.Stone}} {
		t.Run(string(tt.unit), func(t *testing.T) {
			e := newEnv(t)
			e.emu.SetGoogleUnits(tt.setting, "HEIGHT_UNIT_INCHES")
			b := e.browser()
			dash := b.connectOAuth2("google-health", append(slices.Clone(googlehealth.Scopes), googlehealth.OptionalScopes...)...)
			last, _ := latest(e.emu.WeightLogs())
			if want := body.FormatWeight(last.WeightKg, tt.unit); !strings.Contains(dash.body, `data-measure="latest">`+want+`<`) {
				t.Errorf("dashboard does not show the latest weigh-in as %q", want)
			}
			if p := b.get("/weight"); !strings.Contains(p.body, "("+body.UnitLabel(tt.unit)+")") {
				t.Errorf("/weight is not in %s", body.UnitLabel(tt.unit))
			}
			// Google's settings read heights in inches: Settings shows the height in feet and inches too.
			if p := b.get("/settings"); !strings.Contains(p.body, `<span id="height-feet">5 ft 10 in</span>`) {
				t.Errorf("Settings does not show 178 cm as 5 ft 10 in")
			}
			if p := b.post("/settings", url.Values{"unit": {"kg"}}); p.status != http.StatusSeeOther {
				t.Fatalf("POST /settings: %d", p.status)
			}
			if dash := b.get("/"); !strings.Contains(dash.body, `data-measure="latest">`+body.FormatWeight(last.WeightKg, body.Kilograms)+`<`) {
				t.Errorf("a unit picked in Settings does not win over Google's")
			}
		})
	}
}

// TestGoogleHealthSettingsScopeUnticked: pounds in the account, but the person unticked the settings scope: the
// sign-in succeeds, the history syncs whole, in kilograms.
func TestGoogleHealthSettingsScopeUnticked(t *testing.T) {
	e := newEnv(t)
	e.emu.SetGoogleUnits("WEIGHT_UNIT_POUNDS", "HEIGHT_UNIT_INCHES")
	b := e.browser()
	dash := b.connectOAuth2("google-health", googlehealth.Scopes...)
	last, _ := latest(e.emu.WeightLogs())
	if want := body.FormatWeight(last.WeightKg, body.Kilograms); !strings.Contains(dash.body, `data-measure="latest">`+want+`<`) {
		t.Errorf("dashboard does not show %q in kg", want)
	}
	if s := b.status(); s.State != "idle" || s.Measurements != len(e.emu.WeightLogs()) {
		t.Errorf("sync without the settings scope: %+v, want idle with %d weigh-ins", s, len(e.emu.WeightLogs()))
	}
}
