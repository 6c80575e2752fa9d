package handlers_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bodystats/bodystats/internal/store"
)

// seedHistory stores 120 days of morning weigh-ins ending yesterday, drifting down with some noise.
func seedHistory(t *testing.T, e *authEnv) {
	t.Helper()
	src, err := e.db.CreateSource(t.Context(), store.Source{Kind: store.KindImport, Name: "seed.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var ms []store.Measurement
	start := time.Now().AddDate(0, 0, -120)
	for i := range 120 {
		d := start.AddDate(0, 0, i)
		kg := 88 - 3.5*float64(i)/120 + 0.6*math.Sin(float64(i)*1.7)
		fat := 24 - 2*float64(i)/120
		ms = append(ms, store.Measurement{SourceID: src.ID, Provider: "import", ExternalID: "seed" + strconv.Itoa(i),
			Date: d.Format(time.DateOnly), Time: "07:1" + strconv.Itoa(i%10) + ":00", WeightKg: math.Round(kg*10) / 10, FatPct: &fat,
			Source: "import", Method: store.MethodImport})
	}
	if _, err := e.db.UpsertMeasurements(t.Context(), ms); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserPhoneAndDesktop: at phone size (390×844, touch) and at desktop size, a person signs in, sees the
// dashboard, logs a weight from it, and opens the weight page; nothing is wider than the screen and, on the
// phone, every control is at least 44 px tall.
func TestBrowserPhoneAndDesktop(t *testing.T) {
	for _, vp := range []struct {
		name          string
		width, height int64
		phone         bool
	}{
		{"phone", 390, 844, true},
		{"desktop", 1280, 900, false},
	} {
		t.Run(vp.name, func(t *testing.T) {
			e := newAuthEnv(t, authConfig{password: ownerPassword})
			seedHistory(t, e)
			ctx := chrome(t)
			opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
			if vp.phone {
				opts = []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile}
			}
			do(t, ctx, "set the viewport", chromedp.EmulateViewport(vp.width, vp.height, opts...))

			do(t, ctx, "open the app", chromedp.Navigate(e.app.URL+"/weight"))
			if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/signin?next=%2Fweight" {
				t.Fatalf("signed out, /weight led to %s", loc)
			}
			fits(t, ctx, vp.width, vp.phone)
			screenshot(t, ctx, vp.name+"-signin")
			do(t, ctx, "type the password", chromedp.SendKeys(chromedp.CSS("#password"), ownerPassword))
			follow(t, ctx, `.signin button[type="submit"]`)
			if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/weight" {
				t.Fatalf("sign-in led to %s, want back to /weight", loc)
			}

			do(t, ctx, "open the dashboard", chromedp.Navigate(e.app.URL+"/"))
			do(t, ctx, "wait for the Log weight form", chromedp.WaitVisible(chromedp.CSS(".log-weight form")))
			fits(t, ctx, vp.width, vp.phone)
			screenshot(t, ctx, vp.name+"-dashboard")

			do(t, ctx, "log a weight", chromedp.SendKeys(chromedp.CSS(`.log-form input[name="weight"]`), "82.4"),
				chromedp.SendKeys(chromedp.CSS(`.log-form input[name="fat"]`), "21.5"))
			follow(t, ctx, `.log-form button[type="submit"]`)
			if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/" {
				t.Fatalf("Log led to %s, want the dashboard", loc)
			}
			if got := text(t, ctx, `[data-measure="latest"]`); !strings.Contains(got, "82.4") {
				t.Fatalf("latest weigh-in after logging 82.4: %q", got)
			}

			do(t, ctx, "open the weight page", chromedp.Navigate(e.app.URL+"/weight"))
			do(t, ctx, "wait for the chart", chromedp.WaitVisible(chromedp.CSS("figure.chart-wide svg.chart")))
			box := get(t, ctx, "measure the chart", chromedp.Dimensions(chromedp.CSS("figure.chart-wide svg.chart")))
			if w := float64(box.Width); w < float64(vp.width)*0.8 && w < 600 || w > float64(vp.width) {
				t.Errorf("the chart is %d px wide on a %d px screen", box.Width, vp.width)
			}
			if !strings.Contains(get(t, ctx, "read the page", chromedp.Evaluate[string](`document.body.innerText`)), "82.4") {
				t.Error("the weight page does not list the logged weigh-in")
			}
			fits(t, ctx, vp.width, vp.phone)
			screenshot(t, ctx, vp.name+"-weight")
		})
	}
}

// fits checks that the page does not scroll sideways (tables scroll inside themselves) and, on a phone, that
// every visible control is a tap target of at least 44 px.
func fits(t *testing.T, ctx context.Context, width int64, phone bool) {
	t.Helper()
	// Not innerWidth: a phone's browser zooms out to fit a too-wide page, and innerWidth grows with it.
	if w := get(t, ctx, "measure the page", chromedp.Evaluate[float64](`Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)`)); w > float64(width) {
		t.Errorf("the page is %.0f px wide on a %d px screen", w, width)
	}
	if !phone {
		return
	}
	small := get(t, ctx, "measure the controls", chromedp.Evaluate[string](`[...document.querySelectorAll(
		'a, button, input:not([type=hidden]), select, summary')].filter(el => {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) return false;           // not shown
			if (el.closest('p, li, td, figcaption, footer') && el.tagName === 'A') return false; // links inside text
			return r.height < 44;
		}).map(el => el.tagName + ' ' + (el.textContent || el.name).trim().slice(0, 30) + ' ' + Math.round(el.getBoundingClientRect().height)).join('; ')`))
	if small != "" {
		t.Errorf("tap targets under 44 px: %s", small)
	}
}
