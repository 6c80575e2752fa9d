package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/googlehealth"
)

// TestUnits: every page shows the same weigh-in converted correctly in kilograms, pounds and stone.
func TestUnits(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	last, lastFat := latest(e.emu.WeightLogs())
	for _, u := range []body.Unit{body.Kilograms, body.Pounds, body.Stone} {
		t.Run(string(u), func(t *testing.T) {
			if p := b.post("/settings", url.Values{"unit": {string(u)}}); p.status != http.StatusSeeOther {
				t.Fatalf("POST /settings unit=%s: %d\n%s", u, p.status, p.body)
			}
			dash := b.get("/")
			if want := body.FormatWeight(last.WeightKg, u); !strings.Contains(dash.body, `data-measure="latest">`+want+`<`) {
				t.Errorf("dashboard in %s does not show the latest weigh-in as %q", u, want)
			}
			headline := strconv.FormatFloat(body.ValueIn(last.WeightKg, u), 'f', 1, 64)
			if !shows(dash.body, "weight", headline) {
				t.Errorf("dashboard weight card in %s does not show %s", u, headline)
			}
			if p := b.get("/weight"); !shows(p.body, "weight", headline) || !strings.Contains(p.body, "("+body.UnitLabel(u)+")") {
				t.Errorf("/weight in %s does not show %s %s", u, headline, body.UnitLabel(u))
			}
			fat, lean := body.Composition(lastFat.WeightKg, lastFat.FatPct)
			if p := b.get("/fat?show=fat-mass"); !shows(p.body, "fat-mass", strconv.FormatFloat(body.ValueIn(fat, u), 'f', 1, 64)) {
				t.Errorf("/fat?show=fat-mass in %s is wrong", u)
			}
			if p := b.get("/fat?show=lean-mass"); !shows(p.body, "lean-mass", strconv.FormatFloat(body.ValueIn(lean, u), 'f', 1, 64)) {
				t.Errorf("/fat?show=lean-mass in %s is wrong", u)
			}
			// BMI and body fat % have no unit: the same in every unit.
			if p := b.get("/bmi"); !shows(p.body, "bmi", one(last.BMI)) {
				t.Errorf("/bmi in %s does not show %s", u, one(last.BMI))
			}
		})
	}
}

// TestMissingDataIsExplained: an account with no height shows a way to enter it, never a zero BMI; one with no
// body fat says so.
func TestMissingDataIsExplained(t *testing.T) {
	e := newEnv(t)
	e.emu.ClearGoogleHeights() // a Google account that never set a height
	b := e.browser()
	b.connectOAuth2("google-health", googlehealth.Scopes...)
	p := b.get("/bmi")
	if !strings.Contains(p.body, "Your height in centimetres") || strings.Contains(p.body, `data-measure="bmi">0.0`) {
		t.Errorf("/bmi without a height does not ask for it:\n%s", p.body)
	}
	e2 := newEnv(t)
	b2 := e2.browser()
	csv := "date,time,weight_kg\n2026-11-01,07:00:00,80.5\n2026-11-02,07:00:00,80.1\n"
	if p := b2.upload("w.csv", []byte(csv), ""); p.status != http.StatusOK {
		t.Fatalf("upload: %d\n%s", p.status, p.body)
	}
	if p := b2.get("/fat"); !strings.Contains(p.body, "No body-fat readings yet") || strings.Contains(p.body, `data-measure="fat"`) {
		t.Errorf("/fat without readings:\n%s", p.body)
	}
	if p := b2.get("/"); !strings.Contains(p.body, "Two weeks of weigh-ins") {
		t.Errorf("a two-day history promises a rate:\n%s", p.body)
	}
}

func TestGoalHideAndManualWeighin(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	if p := b.post("/settings", url.Values{"unit": {"kg"}, "goal": {"70"}}); p.status != http.StatusSeeOther {
		t.Fatalf("POST /settings goal: %d", p.status)
	}
	if p := b.get("/"); !strings.Contains(p.body, "to reach 70.0 kg") || !strings.Contains(p.body, "to lose") {
		t.Errorf("the dashboard does not show the goal:\n%s", p.body)
	}
	if p := b.get("/weight"); !strings.Contains(p.body, "chart-hline") {
		t.Error("the weight chart has no goal line")
	}
	if p := b.post("/settings", url.Values{"goal": {"7000"}}); p.status != http.StatusBadRequest {
		t.Errorf("an absurd goal: %d, want 400", p.status)
	}

	// Hide the newest weigh-in as an outlier: it leaves the headline, stays in the export, and can be restored.
	logs := e.emu.WeightLogs()
	last := logs[len(logs)-1]
	acct, _ := e.db.ConnectedAccount(t.Context())
	key := strconv.FormatInt(acct.ID, 10) + "/fitbit-oauth1/" + strconv.FormatInt(last.LogID, 10)
	hide := url.Values{"hide": {key}}
	if p := b.post("/weighins/hide", hide); p.status != http.StatusSeeOther {
		t.Fatalf("hide: %d\n%s", p.status, p.body)
	}
	if p := b.get("/weight?range=all"); shows(p.body, "weight", one(last.WeightKg)) && logs[len(logs)-2].WeightKg != last.WeightKg || !strings.Contains(p.body, `class="hidden-row"`) {
		t.Errorf("after hiding, /weight still headlines it or does not list it as hidden")
	}
	if n := len(exportRows(t, b)); n != len(logs) {
		t.Errorf("a hidden weigh-in left the export: %d rows, want %d", n, len(logs))
	}
	b.post("/weighins/hide", url.Values{"restore": {key}})
	if p := b.get("/weight"); !shows(p.body, "weight", one(last.WeightKg)) {
		t.Error("the restored weigh-in is not the headline again")
	}

	// A weigh-in by hand, today, becomes the newest.
	form := url.Values{"date": {"2099-01-01"}, "time": {"07:30"}, "weight": {"77.7"}, "fat": {"20"}}
	if p := b.post("/weighins", form); p.status != http.StatusSeeOther {
		t.Fatalf("POST /weighins: %d\n%s", p.status, p.body)
	}
	if p := b.get("/weight?range=all"); !shows(p.body, "weight", "77.7") || !strings.Contains(p.body, "<td>2099-01-01</td><td>07:30:00</td>") {
		t.Error("the manual weigh-in is not on /weight")
	}
	if p := b.post("/weighins", url.Values{"date": {"2024-02-30"}, "time": {"07:30"}, "weight": {"77"}}); p.status != http.StatusBadRequest {
		t.Errorf("an impossible date: %d, want 400", p.status)
	}
}

func TestRangesAndFigure(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	month, all := b.get("/weight?range=1m"), b.get("/weight?range=all")
	if strings.Count(month.body, "<tr") >= strings.Count(all.body, "<tr") {
		t.Error("the one-month range lists as many rows as the whole history")
	}
	if p := b.get("/weight?from=2026-02-30&to=2026-01-01"); p.status != http.StatusBadRequest {
		t.Errorf("a bad custom range: %d, want 400", p.status)
	}
	if p := b.get("/bmi"); !strings.Contains(p.body, `class="chart-band `) {
		t.Error("the BMI chart has no category bands")
	}
	dash := b.get("/")
	if !strings.Contains(dash.body, `class="likeness"`) {
		t.Fatal("the dashboard has no figure")
	}
	b.post("/settings/figure", url.Values{"show": {"0"}})
	if p := b.get("/"); strings.Contains(p.body, `class="likeness"`) || !strings.Contains(p.body, "Show the figure") {
		t.Error("hiding the figure did not hide it")
	}
}
