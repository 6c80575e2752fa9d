package handlers_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/bodystats/bodystats/internal/emulator"
)

// TestBrowserPublicProfileAndIHealth: from the landing page a person reads the demo user's public profile (its
// avatar shows, though it lives on the provider's host), then connects iHealth through its consent page and sees
// the same person's numbers.
func TestBrowserPublicProfileAndIHealth(t *testing.T) {
	e := newIHealthEnv(t, emulator.IHealthOptions{})
	ctx := chrome(t)
	last, _ := latest(e.emu.WeightLogs())

	do(t, ctx, "open the landing page", chromedp.Navigate(e.app.URL+"/"),
		chromedp.SendKeys(chromedp.CSS(`form.public-read input[name="user"]`), "7BDEMO"))
	follow(t, ctx, `form.public-read button[type="submit"]`)
	if got := text(t, ctx, "main h1"); got != "Sam" {
		t.Fatalf("public profile heading = %q, want Sam", got)
	}
	if got := text(t, ctx, `[data-measure="public-weight"]`); got != one(last.WeightKg)+" kg" {
		t.Errorf("public weight = %q, want %s kg", got, one(last.WeightKg))
	}
	const loaded = `(() => { const i = document.querySelector('main img'); return i.complete && i.naturalWidth > 0 })()`
	if ok := get(t, ctx, "avatar", chromedp.Evaluate[bool](loaded)); !ok {
		t.Error("the avatar did not load (blocked by the page's content security policy?)")
	}
	screenshot(t, ctx, "public-profile")

	do(t, ctx, "back to the landing page", chromedp.Navigate(e.app.URL+"/"))
	follow(t, ctx, `a.button[href="/login?provider=ihealth"]`)
	if got := text(t, ctx, "main .banner"); !strings.Contains(got, "demo of iHealth") {
		t.Fatalf("consent page banner = %q", got)
	}
	follow(t, ctx, `button[name="decision"][value="allow"]`)
	settle(t, ctx)
	if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/" {
		t.Fatalf("after Allow the browser is at %s, want the dashboard", loc)
	}
	if got, want := headline(t, ctx, "weight"), one(last.WeightKg); got != want {
		t.Errorf("dashboard weight = %q, want %q", got, want)
	}
}
