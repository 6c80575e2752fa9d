package handlers_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/bodystats/bodystats/internal/fitbit"
)

// failCallbacks makes every navigation to the app's /callback fail in the browser, as when a provider insists
// on a redirect address the app cannot be reached at, and reports each address the browser tried to open.
func failCallbacks(t *testing.T, ctx context.Context) <-chan string {
	t.Helper()
	landed := make(chan string, 4)
	do(t, ctx, "intercept /callback", chromedp.Func(func(_ context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/callback\\?*"}}}); err != nil {
			return err
		}
		go func() {
			for ev, err := range cdp.Events(ctx, tg, fetch.RequestPaused) {
				if err != nil {
					return
				}
				select {
				case landed <- ev.Request.URL:
				default:
				}
				cdp.Call(ctx, tg, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonNameNotResolved})
			}
		}()
		return nil
	}))
	return landed
}

// TestBrowserPastedCallback: the consent page's Allow sends the browser to an address that does not open; the
// person copies that address, pastes it on the Sources page, and lands on the dashboard.
func TestBrowserPastedCallback(t *testing.T) {
	e := newEnv(t)
	ctx := chrome(t)
	last, _ := latest(e.emu.WeightLogs())
	landed := failCallbacks(t, ctx)

	do(t, ctx, "open the landing page", chromedp.Navigate(e.app.URL+"/"))
	follow(t, ctx, `a.button[href="/login?provider=`+fitbit.OAuth2ID+`"]`)
	do(t, ctx, "allow", chromedp.Click(chromedp.CSS(`button[name="decision"][value="allow"]`)))
	var address string
	select {
	case address = <-landed:
	case <-time.After(20 * time.Second):
		t.Fatal("the browser never tried to open the callback")
	}
	if !strings.HasPrefix(address, e.app.URL+"/callback?") || !strings.Contains(address, "code=") {
		t.Fatalf("the consent page sent the browser to %q", address)
	}
	do(t, ctx, "fail the callback, then open Sources", chromedp.Sleep(200*time.Millisecond), chromedp.Navigate(e.app.URL+"/sources"))
	screenshot(t, ctx, "paste")
	do(t, ctx, "paste the address", chromedp.SetValue(chromedp.CSS("#paste-url"), address))
	follow(t, ctx, `form.paste button[type="submit"]`)
	settle(t, ctx)
	if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/" {
		t.Fatalf("after the paste the browser is at %s, want the dashboard", loc)
	}
	if got, want := headline(t, ctx, "weight"), one(last.WeightKg); got != want {
		t.Errorf("dashboard weight after the pasted callback = %q, want %q", got, want)
	}
}

// TestBrowserTwoSources: a person connects Fitbit, opens Sources, connects Google Health there, and sees the same
// dashboard with each weigh-in once.
func TestBrowserTwoSources(t *testing.T) {
	e := newEnv(t)
	ctx := chrome(t)
	logs := e.emu.WeightLogs()
	last, _ := latest(logs)
	count := strconv.Itoa(len(logs)) + " weigh-ins from "

	do(t, ctx, "open the landing page", chromedp.Navigate(e.app.URL+"/"))
	follow(t, ctx, `a.button[href="/login?provider=fitbit-oauth1"]`)
	follow(t, ctx, `button[name="decision"][value="allow"]`)
	settle(t, ctx)
	if got := text(t, ctx, "main > p.meta"); !strings.HasPrefix(got, count) {
		t.Fatalf("dashboard after Fitbit = %q, want %q…", got, count)
	}
	do(t, ctx, "open Sources", chromedp.Navigate(e.app.URL+"/sources"))
	follow(t, ctx, `a.button[href="/login?provider=google-health"]`)
	follow(t, ctx, `button[name="decision"][value="allow"]`)
	settle(t, ctx)
	if got, want := headline(t, ctx, "weight"), one(last.WeightKg); got != want {
		t.Errorf("dashboard weight with both sources = %q, want %q", got, want)
	}
	if got := text(t, ctx, "main > p.meta"); !strings.HasPrefix(got, count) {
		t.Errorf("dashboard with both sources = %q, want %q… (each weigh-in once)", got, count)
	}
	do(t, ctx, "open Sources again", chromedp.Navigate(e.app.URL+"/sources"))
	if n := get(t, ctx, "count the sources", chromedp.Evaluate[int](`document.querySelectorAll("table.sources tbody tr[id]").length`)); n != 2 {
		t.Errorf("the sources page lists %d sources, want 2", n)
	}
	screenshot(t, ctx, "sources")
}
