package handlers_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/emulator"
)

// browserTimeout bounds everything one test does in the browser, so a hung chromium fails the test, not the run.
const browserTimeout = 60 * time.Second

// chromiumPath finds Debian's chromium. Without it the browser tests skip, except on CI, which must run them.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not installed, and CI must run the browser tests: apt-get install chromium")
	}
	t.Skip("chromium not installed: apt-get install chromium")
	return ""
}

// chrome starts a headless chromium with a fresh profile and returns its tab; the browser stops at cleanup.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	profile := t.TempDir() // created before the cleanup below, so removed after the browser has stopped
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	// Not t.Context(): that is cancelled before cleanups run, which would kill chromium instead of closing it.
	base, cancelBase := context.WithTimeout(context.Background(), browserTimeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(base, opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		chromedp.Cancel(ctx) // closes the browser and waits for it
		cancelTab()
		cancelAlloc() // waits until the process has exited
		cancelBase()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// do runs browser steps and fails the test, naming what it was doing, if one fails or the deadline passes.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// follow clicks a link or button and waits until the page it leads to (after any redirects) has loaded.
func follow(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	if resp.Status >= 400 {
		t.Fatalf("click %s: %s answered %d", sel, resp.URL, resp.Status)
	}
}

// settle waits until the page has loaded and no sync is running. While one runs the page polls and reloads
// itself (sync.js), so anything read before then could belong to the page about to be replaced. Only pages of
// a running sync include sync.js, so its absence from a loaded page means the numbers are final.
func settle(t *testing.T, ctx context.Context) {
	t.Helper()
	const settled = `document.readyState === "complete" && !document.querySelector('script[src="/static/sync.js"]')`
	for {
		// An evaluation that races a reload fails; the next try sees the new page.
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](settled)); err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the page still shows a running sync: %v", context.Cause(ctx))
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// headline returns the number a page headlines for a measure: the text before its unit.
func headline(t *testing.T, ctx context.Context, key string) string {
	t.Helper()
	sel := `[data-measure="` + key + `"]`
	do(t, ctx, "wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	return get(t, ctx, "read "+sel, chromedp.Evaluate[string](`document.querySelector('`+sel+`').firstChild.textContent.trim()`))
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(get(t, ctx, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// screenshot keeps a full-page PNG as a test artifact, and in $BODYSTATS_SCREENSHOTS when set (for the README).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	dirs := []string{t.ArtifactDir()}
	if d := os.Getenv("BODYSTATS_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBrowserConnectFlow: a person connects through the emulator's consent page in a real browser and sees their
// numbers and charts, on the dashboard and each measure's page, then switches the dashboard to pounds.
func TestBrowserConnectFlow(t *testing.T) {
	e := newEnv(t)
	ctx := chrome(t)
	last, lastFat := latest(e.emu.WeightLogs())

	do(t, ctx, "open the landing page", chromedp.Navigate(e.app.URL+"/"))
	connect := `a.button[href="/login?provider=fitbit-oauth1"]`
	if got := text(t, ctx, connect); got != "Connect Fitbit" {
		t.Fatalf("landing page button = %q, want Connect Fitbit", got)
	}
	follow(t, ctx, connect)
	if got := text(t, ctx, "main .banner"); !strings.Contains(got, "built-in bodystats demo") {
		t.Fatalf("consent page banner = %q, want the emulator's demo notice", got)
	}
	if loc := get(t, ctx, "location", chromedp.Location()); !strings.HasPrefix(loc, e.api.URL+"/") {
		t.Fatalf("Connect Fitbit led to %s, want the emulator at %s", loc, e.api.URL)
	}
	screenshot(t, ctx, "consent")

	follow(t, ctx, `button[name="decision"][value="allow"]`)
	settle(t, ctx)
	if loc := get(t, ctx, "location", chromedp.Location()); loc != e.app.URL+"/" {
		t.Fatalf("after Allow the browser is at %s, want the dashboard", loc)
	}
	if got, want := headline(t, ctx, "weight"), one(last.WeightKg); got != want {
		t.Errorf("dashboard weight = %q, want %q", got, want)
	}
	chart := `article.card:has([data-measure="weight"]) svg.chart`
	do(t, ctx, "wait for the weight chart", chromedp.WaitVisible(chromedp.CSS(chart)))
	if box := get(t, ctx, "measure the weight chart", chromedp.Dimensions(chromedp.CSS(chart))); box.Width == 0 || box.Height == 0 {
		t.Errorf("weight chart is %dx%d, want a visible size", box.Width, box.Height)
	}
	screenshot(t, ctx, "dashboard")

	for _, tt := range []struct{ path, key, want string }{
		{"/weight", "weight", one(last.WeightKg)},
		{"/bmi", "bmi", one(last.BMI)},
		{"/fat", "fat", one(lastFat.FatPct)},
	} {
		do(t, ctx, "open "+tt.path, chromedp.Navigate(e.app.URL+tt.path))
		if got := headline(t, ctx, tt.key); got != tt.want {
			t.Errorf("%s headline = %q, want %q", tt.path, got, tt.want)
		}
		if tt.path == "/weight" {
			do(t, ctx, "wait for the /weight chart", chromedp.WaitVisible(chromedp.CSS("figure.chart-wide svg.chart")))
			screenshot(t, ctx, "weight")
		}
	}

	do(t, ctx, "choose pounds", chromedp.Navigate(e.app.URL+"/settings"), chromedp.SetValue(chromedp.CSS("select#unit"), "lb"))
	follow(t, ctx, `form[action="/settings"] button[type="submit"]`)
	do(t, ctx, "open the dashboard", chromedp.Navigate(e.app.URL+"/"))
	if got, want := text(t, ctx, `[data-measure="latest"]`), body.FormatWeight(last.WeightKg, body.Pounds); got != want {
		t.Errorf("latest weigh-in in pounds = %q, want %q", got, want)
	}
}

// TestBrowserReconnectBanner: when the provider revokes the grant, "Sync now" ends with a Reconnect button in
// the page (which reloads itself while the sync runs), and the stored history stays in view.
func TestBrowserReconnectBanner(t *testing.T) {
	e := newEnv(t)
	ctx := chrome(t)
	logs := e.emu.WeightLogs()
	last, _ := latest(logs)

	do(t, ctx, "open the landing page", chromedp.Navigate(e.app.URL+"/"))
	follow(t, ctx, `a.button[href="/login?provider=fitbit"]`)
	if got := text(t, ctx, "main .banner"); !strings.Contains(got, "built-in bodystats demo") {
		t.Fatalf("consent page banner = %q, want the emulator's demo notice", got)
	}
	follow(t, ctx, `button[name="decision"][value="allow"]`)
	settle(t, ctx)

	e.emu.RevokeRefreshTokens()
	e.emu.ExpireAccessTokens()
	follow(t, ctx, `#sync form[action="/sync"] button`)
	settle(t, ctx)
	reconnect := `.reconnect a.button[href="/login?provider=fitbit"]`
	do(t, ctx, "wait for the Reconnect button", chromedp.WaitVisible(chromedp.CSS(reconnect)))
	if got := text(t, ctx, reconnect); got != "Reconnect" {
		t.Errorf("banner button = %q, want Reconnect", got)
	}
	if got := get(t, ctx, "read the sync state", chromedp.Evaluate[string](`document.getElementById("sync")?.dataset.state ?? ""`)); got != "failed" {
		t.Errorf("sync state = %q, want failed", got)
	}
	// The whole history is still shown: the failed sync ran after the first one had stored everything.
	if got, want := headline(t, ctx, "weight"), one(last.WeightKg); got != want {
		t.Errorf("dashboard weight after the revocation = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, "main > p.meta"), strconv.Itoa(len(logs))+" weigh-ins from "; !strings.HasPrefix(got, want) {
		t.Errorf("dashboard summary after the revocation = %q, want %q…", got, want)
	}
}

// TestBrowserUpload: a Takeout export chosen in the import form's file input is imported, the summary replaces
// the form, and the dashboard then shows the history.
func TestBrowserUpload(t *testing.T) {
	e := newEnv(t)
	ctx := chrome(t)
	logs := e.emu.WeightLogs()
	last, _ := latest(logs)
	zip := filepath.Join(t.TempDir(), "takeout.zip")
	if err := os.WriteFile(zip, e.export(emulator.ExportOptions{Layout: emulator.LayoutTakeout}), 0o644); err != nil {
		t.Fatal(err)
	}

	do(t, ctx, "choose the export",
		chromedp.Navigate(e.app.URL+"/import"),
		chromedp.SetUploadFiles(chromedp.CSS(`input#file[type="file"]`), []string{zip}),
	)
	// upload.js posts the form itself and swaps in the answer, so there is no navigation to wait for.
	do(t, ctx, "import", chromedp.Click(chromedp.CSS(`#import-form button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".import-summary")))
	summary := text(t, ctx, ".import-summary")
	if want := strconv.Itoa(len(logs)) + " weigh-ins added"; !strings.Contains(summary, want) {
		t.Fatalf("import summary = %q, want %q", summary, want)
	}

	follow(t, ctx, `.import-summary a.button[href="/"]`)
	if got, want := headline(t, ctx, "weight"), one(last.WeightKg); got != want {
		t.Errorf("dashboard weight after the import = %q, want %q", got, want)
	}
	if got, want := text(t, ctx, "main > p.meta"), strconv.Itoa(len(logs))+" weigh-ins from "+logs[0].Date+" to "+last.Date; !strings.HasPrefix(got, want) {
		t.Errorf("dashboard summary = %q, want %q…", got, want)
	}
	if got := text(t, ctx, ".connect-strip"); !strings.Contains(got, "No account is connected") {
		t.Errorf("dashboard after an import without an account: %q, want the Connect strip", got)
	}
}
