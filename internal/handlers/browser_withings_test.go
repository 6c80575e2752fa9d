package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
)

// staticSite serves one page for every path, the way a static host serves the page a person put there; page is
// read when a request comes, so it may name the app, which starts later.
func staticSite(t *testing.T, page func() string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page()))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// newestWithings is the newest weigh-in's weight the dashboard should headline, one decimal.
func newestWithings(e *env) string {
	want, _ := withingsWant(e.emu)
	var best withingsRow
	for _, w := range want {
		if w.date+w.clock > best.date+best.clock {
			best = w
		}
	}
	kg, _ := strconv.ParseFloat(best.kg, 64)
	return one(kg)
}

// allowWithings clicks Connect Withings on the landing page and Allow on the emulator's consent page.
func allowWithings(t *testing.T, e *env, ctx context.Context) {
	t.Helper()
	do(t, ctx, "open the landing page", chromedp.Navigate(e.app.URL+"/"))
	connect := `a.button[href="/login?provider=withings"]`
	if got := text(t, ctx, connect); got != "Connect Withings" {
		t.Fatalf("landing page button = %q, want Connect Withings", got)
	}
	follow(t, ctx, connect)
	if got := text(t, ctx, "main .banner"); !strings.Contains(got, "not Withings") {
		t.Fatalf("consent page banner = %q, want the emulator's demo notice", got)
	}
	follow(t, ctx, `button[name="decision"][value="allow"]`)
}

// TestBrowserWithingsDirect: Withings sends the browser straight back to {BASE_URL}/callback.
func TestBrowserWithingsDirect(t *testing.T) {
	e := newWithingsEnv(t, redirectDirect, "")
	ctx := chrome(t)
	allowWithings(t, e, ctx)
	settle(t, ctx)
	if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/" {
		t.Fatalf("after Allow the browser is at %s, want the dashboard", loc)
	}
	if got, want := headline(t, ctx, "weight"), newestWithings(e); got != want {
		t.Errorf("dashboard weight = %q, want %q", got, want)
	}
}

// TestBrowserWithingsForwardingPage: Withings sends the browser to the static forwarding page (docs/), whose
// script hands the query on to the app's /callback unchanged.
func TestBrowserWithingsForwardingPage(t *testing.T) {
	raw, err := os.ReadFile("../../docs/withings-forward.html")
	if err != nil {
		t.Fatal(err)
	}
	var callback atomic.Pointer[string]
	hits := atomic.Int32{}
	site := staticSite(t, func() string {
		hits.Add(1)
		return strings.Replace(string(raw), `content="http://localhost:8080/callback"`, `content="`+*callback.Load()+`"`, 1)
	})
	forward := site.URL + "/withings-forward.html"
	e := newWithingsEnv(t, redirectForward, forward)
	cb := e.app.URL + "/callback"
	callback.Store(&cb)
	ctx := chrome(t)
	allowWithings(t, e, ctx)
	settle(t, ctx)
	if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/" {
		t.Fatalf("after the forwarding page the browser is at %s, want the dashboard", loc)
	}
	if hits.Load() != 1 {
		t.Errorf("the forwarding page was loaded %d times, want once", hits.Load())
	}
	if got, want := headline(t, ctx, "weight"), newestWithings(e); got != want {
		t.Errorf("dashboard weight = %q, want %q", got, want)
	}
}

// TestBrowserWithingsPaste: Withings sends the browser to a page that cannot reach the app; the person copies its
// address and pastes it on the Sources page.
func TestBrowserWithingsPaste(t *testing.T) {
	site := staticSite(t, func() string {
		return "<!doctype html><title>Landed</title><p>Copy this page's address into bodystats.</p>"
	})
	e := newWithingsEnv(t, redirectPaste, site.URL+"/landed")
	ctx := chrome(t)
	allowWithings(t, e, ctx)
	landed := get(t, ctx, "location", chromedp.Location())
	if !strings.HasPrefix(landed, site.URL+"/landed?") || !strings.Contains(landed, "code=") {
		t.Fatalf("after Allow the browser is at %s, want the landing page with a code", landed)
	}
	do(t, ctx, "paste the address",
		chromedp.Navigate(e.app.URL+"/sources"),
		chromedp.SetValue(chromedp.CSS("#paste-url"), landed),
	)
	follow(t, ctx, `form.paste button[type="submit"]`)
	settle(t, ctx)
	if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/" {
		t.Fatalf("after pasting the browser is at %s, want the dashboard", loc)
	}
	if got, want := headline(t, ctx, "weight"), newestWithings(e); got != want {
		t.Errorf("dashboard weight = %q, want %q", got, want)
	}
}
