package push

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func decode(s string) (Result, error) {
	return Decode(strings.NewReader(s), Options{Max: 3, Now: now})
}

func TestBodystats(t *testing.T) {
	res, err := decode(`{"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.4, "fat_pct": 17.2, "bmi": 24.1},
		{"time": "2026-11-29T06:00:00Z", "weight_kg": 79.9}, {"time": "2026-11-30T06:41:09Z", "weight_kg": 79.4}]}`)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatBodystats || len(res.Weighins) != 2 || res.Skipped != 1 {
		t.Fatalf("got %s, %d weigh-ins, %d skipped; want bodystats, 2, 1 (the third is the first again)", res.Format, len(res.Weighins), res.Skipped)
	}
	w := res.Weighins[0]
	if _, off := w.At.Zone(); off != 3600 || w.At.Format("15:04:05") != "07:41:09" || w.Kg != 79.4 || *w.FatPct != 17.2 || *w.BMI != 24.1 {
		t.Fatalf("first: %+v", w)
	}
	if res.Weighins[1].FatPct != nil || res.Weighins[1].BMI != nil {
		t.Fatalf("second: fat and BMI should be absent, got %+v", res.Weighins[1])
	}
}

func TestHealthAutoExport(t *testing.T) {
	doc := `{"data": {"metrics": [
		{"name": "step_count", "units": "count", "data": [{"date": "2026-11-30 07:00:00 +0100", "qty": 4000}]},
		{"name": "weight_body_mass", "units": "lb", "data": [
			{"date": "2026-11-30 07:41:09 +0100", "qty": 175.0, "source": "Withings"},
			{"date": "2026-11-29 7:40:00 AM +0100", "qty": 176.0}]},
		{"name": "body_fat_percentage", "units": "%", "data": [
			{"date": "2026-11-30 07:41:09 +0100", "qty": 0.172},
			{"date": "2026-11-28 07:41:09 +0100", "qty": 18}]},
		{"name": "body_mass_index", "units": "count", "data": [{"date": "2026-11-29 07:40:30 +0100", "qty": 24.3}]}
	], "workouts": []}}`
	res, err := decode(doc)
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatHealthAutoExport || len(res.Weighins) != 2 || res.Skipped != 1 {
		t.Fatalf("got %s, %d weigh-ins, %d skipped; want health-auto-export, 2, 1 (fat on the 28th has no weight)", res.Format, len(res.Weighins), res.Skipped)
	}
	a, b := res.Weighins[0], res.Weighins[1]
	if a.Kg != 175*0.45359237 || a.FatPct == nil || *a.FatPct != 17.2 || a.Source != "Withings" || a.BMI != nil {
		t.Fatalf("first: %+v (fat %v), want 175 lb in kg, 17.2%% fat from the fraction, source Withings", a, a.FatPct)
	}
	if b.At.Format("15:04") != "07:40" || b.BMI == nil || *b.BMI != 24.3 || b.Source != "Health Auto Export" {
		t.Fatalf("second: %+v, want 07:40 from the 12-hour form with the BMI of its minute", b)
	}
	// The same document without the "data" envelope.
	inner := strings.TrimSuffix(strings.TrimPrefix(doc, `{"data": `), "}")
	if res2, err := decode(inner); err != nil || len(res2.Weighins) != 2 {
		t.Fatalf("without the envelope: %v, %+v", err, res2)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"MalformedJSON", `{"weighins": [`, "ends in the middle"},
		{"NotJSON", `weight=79.4`, "not valid JSON"},
		{"Empty", ``, "empty"},
		{"Array", `[1, 2]`, "JSON object"},
		{"OtherShape", `{"hello": 1}`, "not a list of weigh-ins"},
		{"NoTime", `{"weighins": [{"weight_kg": 79.4}]}`, `has no "time"`},
		{"NoOffset", `{"weighins": [{"time": "2026-11-30T07:41:09", "weight_kg": 79.4}]}`, "has no UTC offset"},
		{"BadTime", `{"weighins": [{"time": "yesterday", "weight_kg": 79.4}]}`, "not RFC 3339"},
		{"NoWeight", `{"weighins": [{"time": "2026-11-30T07:41:09Z"}]}`, `has no "weight_kg"`},
		{"Minus5", `{"weighins": [{"time": "2026-11-30T07:41:09Z", "weight_kg": -5}]}`, "-5 kg is not a body weight"},
		{"5000", `{"weighins": [{"time": "2026-11-30T07:41:09Z", "weight_kg": 5000}]}`, "5000 kg is not a body weight"},
		{"WeightString", `{"weighins": [{"time": "2026-11-30T07:41:09Z", "weight_kg": "79.4"}]}`, "weight_kg holds string"},
		{"Fat", `{"weighins": [{"time": "2026-11-30T07:41:09Z", "weight_kg": 79, "fat_pct": 120}]}`, "body fat of 120%"},
		{"Future", `{"weighins": [{"time": "2027-11-30T07:41:09Z", "weight_kg": 79}]}`, "in the future"},
		{"Trailing", `{"weighins": []} {}`, "more than one JSON value"},
		{"Both", `{"weighins": [], "data": {"metrics": []}}`, "both"},
		{"AutoExportNoOffset", `{"data": {"metrics": [{"name": "weight_body_mass", "units": "kg", "data": [{"date": "2026-11-30 07:41:09", "qty": 79}]}]}}`, "no UTC offset"},
		{"AutoExportNoUnits", `{"data": {"metrics": [{"name": "weight_body_mass", "data": [{"date": "2026-11-30 07:41:09 +0100", "qty": 79}]}]}}`, `no "units"`},
		{"AutoExportOddUnits", `{"data": {"metrics": [{"name": "weight_body_mass", "units": "oz", "data": []}]}}`, `"oz"`},
		{"AutoExportNoQty", `{"data": {"metrics": [{"name": "weight_body_mass", "units": "kg", "data": [{"date": "2026-11-30 07:41:09 +0100"}]}]}}`, `no "qty"`},
		{"AutoExportMinus5", `{"data": {"metrics": [{"name": "weight_body_mass", "units": "kg", "data": [{"date": "2026-11-30 07:41:09 +0100", "qty": -5}]}]}}`, "not a body weight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode(tc.body)
			var b *BadInput
			if !errors.As(err, &b) || !strings.Contains(b.Msg, tc.want) {
				t.Fatalf("got %v, want a BadInput saying %q", err, tc.want)
			}
		})
	}
}

func TestTooMany(t *testing.T) {
	four := `{"weighins": [` + strings.TrimSuffix(strings.Repeat(`{"time": "2026-11-30T07:41:09Z", "weight_kg": 79},`, 4), ",") + `]}`
	if _, err := decode(four); !errors.Is(err, ErrTooMany) {
		t.Fatalf("four with a maximum of 3: %v, want ErrTooMany", err)
	}
	hae := `{"data": {"metrics": [{"name": "weight_body_mass", "units": "kg", "data": [` +
		`{"date": "2026-11-27 07:41:09 +0100", "qty": 79}, {"date": "2026-11-28 07:41:09 +0100", "qty": 79},` +
		`{"date": "2026-11-29 07:41:09 +0100", "qty": 79}, {"date": "2026-11-30 07:41:09 +0100", "qty": 79}]}]}}`
	if _, err := decode(hae); !errors.Is(err, ErrTooMany) {
		t.Fatalf("Health Auto Export, four: %v, want ErrTooMany", err)
	}
}

// FuzzDecode: any body gives weigh-ins within the limits or an error, never a panic.
func FuzzDecode(f *testing.F) {
	f.Add(`{"weighins": [{"time": "2026-11-30T07:41:09+01:00", "weight_kg": 79.4, "fat_pct": 17.2}]}`)
	f.Add(`{"data": {"metrics": [{"name": "weight_body_mass", "units": "lb", "data": [{"date": "2026-11-30 07:41:09 +0100", "qty": 175}]}, {"name": "body_fat_percentage", "units": "%", "data": [{"date": "2026-11-30 07:41:09 +0100", "qty": 17}]}]}}`)
	f.Add(`{"metrics": []}`)
	f.Fuzz(func(t *testing.T, body string) {
		res, err := Decode(strings.NewReader(body), Options{Max: 100, Now: now})
		if err != nil {
			return
		}
		for _, w := range res.Weighins {
			if !(w.Kg >= MinKg && w.Kg <= MaxKg) || (w.FatPct != nil && !(*w.FatPct > 0 && *w.FatPct < MaxFatPct)) || w.At.After(now.Add(futureSlack)) {
				t.Fatalf("accepted %+v from %q", w, body)
			}
		}
	})
}
