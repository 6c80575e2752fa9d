package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/googlehealth"
	"github.com/bodystats/bodystats/internal/store"
)

var sourceRow = regexp.MustCompile(`<tr id="source-(\d+)" data-provider="([^"]+)">`)

// sourceIDs maps each listed provider to its source id on /sources.
func (b *browser) sourceIDs() map[string]string {
	b.e.t.Helper()
	p := b.get("/sources")
	if p.status != http.StatusOK {
		b.e.t.Fatalf("GET /sources: status %d\n%s", p.status, p.body)
	}
	out := map[string]string{}
	for _, m := range sourceRow.FindAllStringSubmatch(p.body, -1) {
		out[m[2]] = m[1]
	}
	return out
}

// TestTwoProvidersOneHistory: Fitbit's OAuth 2.0 and Google Health connected to the same emulated history, in both
// orders, show every weigh-in once on the dashboard and in the export; removing either source keeps every
// weigh-in, from the other.
func TestTwoProvidersOneHistory(t *testing.T) {
	connect := map[string]func(*browser){
		fitbit.OAuth2ID: func(b *browser) { b.connectOAuth2(fitbit.OAuth2ID, fitbit.Scopes...) },
		googlehealth.ID: func(b *browser) { b.connectOAuth2(googlehealth.ID, googlehealth.Scopes...) },
	}
	for _, order := range [][2]string{{fitbit.OAuth2ID, googlehealth.ID}, {googlehealth.ID, fitbit.OAuth2ID}} {
		for _, remove := range order {
			t.Run(order[0]+"Then"+order[1]+"/Remove"+remove, func(t *testing.T) {
				e := newEnv(t)
				b := e.browser()
				connect[order[0]](b)
				// A second account while the first is connected adds a source; the dashboard keeps showing.
				if p := b.get("/login?provider=" + order[1]); p.status != http.StatusFound {
					t.Fatalf("GET /login?provider=%s while connected: status %d", order[1], p.status)
				}
				connect[order[1]](b)
				logs := e.emu.WeightLogs()
				if s := b.waitSync(); s.Measurements != len(logs) {
					t.Errorf("/sync/status counts %d weigh-ins, want %d (each once)", s.Measurements, len(logs))
				}
				rows := exportRows(t, b)
				if len(rows) != len(logs) {
					t.Fatalf("export has %d rows for %d weigh-ins", len(rows), len(logs))
				}
				for i, l := range logs {
					// The Fitbit API's reading is the scale's own; Google Health relays it.
					if r := rows[i]; r[0] != l.Date || r[1] != l.Time || r[6] != fitbit.OAuth2ID {
						t.Fatalf("export row %d = %v, want %s %s from %s", i, r, l.Date, l.Time, fitbit.OAuth2ID)
					}
				}
				dash := b.get("/")
				last, _ := latest(logs)
				if !shows(dash.body, "weight", one(last.WeightKg)) || !strings.Contains(dash.body, strconv.Itoa(len(logs))) {
					t.Errorf("dashboard does not show the latest weigh-in and a count of %d", len(logs))
				}
				ids := b.sourceIDs()
				if len(ids) != 2 {
					t.Fatalf("sources page lists %v, want both accounts", ids)
				}

				confirm := b.get("/sources/" + ids[remove] + "/remove")
				if confirm.status != http.StatusOK || !strings.Contains(confirm.body, strconv.Itoa(len(logs))+" weigh-ins") {
					t.Fatalf("confirmation page: status %d, does not say how many weigh-ins go\n%s", confirm.status, confirm.body)
				}
				if p := b.post("/sources/"+ids[remove]+"/remove", url.Values{"confirm": {"yes"}}); p.status != http.StatusSeeOther {
					t.Fatalf("POST remove: status %d\n%s", p.status, p.body)
				}
				kept := order[0]
				if kept == remove {
					kept = order[1]
				}
				rows = exportRows(t, b)
				if len(rows) != len(logs) {
					t.Fatalf("after removing %s: %d rows, want every one of the %d weigh-ins from %s", remove, len(rows), len(logs), kept)
				}
				for i, r := range rows {
					if r[6] != kept {
						t.Fatalf("after removing %s, row %d shows %s", remove, i, r[6])
					}
				}
				if ids := b.sourceIDs(); len(ids) != 1 || ids[kept] == "" {
					t.Errorf("after removing %s the sources are %v", remove, ids)
				}
			})
		}
	}
}

// TestOneWeighinManySources: import then sync, sync then import, and a weigh-in typed in at the minute of a synced
// one are each one weigh-in.
func TestOneWeighinManySources(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	logs := e.emu.WeightLogs()
	last, _ := latest(logs)
	form := url.Values{"date": {last.Date}, "time": {last.Time[:5]}, "weight": {strconv.FormatFloat(last.WeightKg, 'f', 1, 64)}}
	if p := b.post("/weighins", form); p.status != http.StatusSeeOther {
		t.Fatalf("POST /weighins: status %d\n%s", p.status, p.body)
	}
	rows := exportRows(t, b)
	if len(rows) != len(logs) {
		t.Fatalf("a weigh-in typed in at the minute of a synced one: %d rows, want %d", len(rows), len(logs))
	}
	if r := rows[len(rows)-1]; r[6] != fitbit.OAuth1ID {
		t.Errorf("the newest row shows %v; the scale's reading should show over the typed-in twin", r)
	}
	ids := b.sourceIDs()
	if ids["manual"] == "" {
		t.Fatalf("no manual source on the sources page: %v", ids)
	}
	// Removing the synced account brings the typed-in values back.
	if p := b.post("/sources/"+ids[fitbit.OAuth1ID]+"/remove", url.Values{"confirm": {"yes"}}); p.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", p.status)
	}
	if rows := exportRows(t, b); len(rows) != 1 || rows[0][6] != "manual" || rows[0][0] != last.Date {
		t.Errorf("after removing the account the history is %v, want the one typed-in weigh-in", rows)
	}
}

// TestReconnectSameAccount: connecting an account that is already connected reconnects its source.
func TestReconnectSameAccount(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	before := b.sourceIDs()
	b.connect()
	after := b.sourceIDs()
	if len(after) != 1 || after[fitbit.OAuth1ID] != before[fitbit.OAuth1ID] {
		t.Errorf("sources after connecting the same account twice: %v (before %v)", after, before)
	}
	if rows := exportRows(t, b); len(rows) != len(e.emu.WeightLogs()) {
		t.Errorf("%d rows after a second connect, want %d", len(rows), len(e.emu.WeightLogs()))
	}
}

// TestSourceRefusals: Remove of a source that does not exist, Remove without the confirmation, Disconnect of an
// import: clear 4xx pages, nothing stored lost.
func TestSourceRefusals(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	ids := b.sourceIDs()
	n := len(exportRows(t, b))
	for _, tt := range []struct {
		name, method, path string
		form               url.Values
		status             int
		words              string
	}{
		{"RemoveMissing", http.MethodPost, "/sources/999/remove", url.Values{"confirm": {"yes"}}, http.StatusNotFound, "No such source"},
		{"ConfirmMissing", http.MethodGet, "/sources/999/remove", nil, http.StatusNotFound, "No such source"},
		{"RemoveNotANumber", http.MethodPost, "/sources/abc/remove", url.Values{"confirm": {"yes"}}, http.StatusNotFound, "No such source"},
		{"RemoveWithoutConfirmation", http.MethodPost, "/sources/" + ids[fitbit.OAuth1ID] + "/remove", url.Values{}, http.StatusBadRequest, "confirmation"},
		{"RemoveWrongConfirmation", http.MethodPost, "/sources/" + ids[fitbit.OAuth1ID] + "/remove", url.Values{"confirm": {"no"}}, http.StatusBadRequest, "confirmation"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := b.do(tt.method, e.app.URL+tt.path, tt.form)
			if p.status != tt.status || !strings.Contains(p.body, tt.words) {
				t.Errorf("%s %s: status %d, want %d saying %q\n%s", tt.method, tt.path, p.status, tt.status, tt.words, p.body)
			}
			if got := len(exportRows(t, b)); got != n {
				t.Errorf("%d rows after a refused request, want %d", got, n)
			}
		})
	}
	// Disconnect keeps the rows and offers a Reconnect.
	if p := b.post("/sources/"+ids[fitbit.OAuth1ID]+"/disconnect", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("disconnect: %d", p.status)
	}
	if got := len(exportRows(t, b)); got != n {
		t.Errorf("%d rows after a disconnect, want %d", got, n)
	}
	if p := b.get("/sources"); !strings.Contains(p.body, `data-state="disconnected"`) || !strings.Contains(p.body, "Reconnect") {
		t.Errorf("a disconnected account is not shown as such:\n%s", p.body)
	}
	if _, err := e.db.ConnectedAccount(t.Context()); err != store.ErrNotFound {
		t.Errorf("after disconnect a connected account remains: %v", err)
	}
}

// TestPastedCallback: the address the consent page's Allow redirects to, pasted into POST /callback, finishes the
// sign-in exactly like GET /callback; every bad paste gets a clear 4xx and spends nothing.
func TestPastedCallback(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		consentURL, request := b.consentOAuth2(fitbit.OAuth2ID)
		landed := b.decideOAuth2(consentURL, request, "allow", fitbit.Scopes...)
		p := b.post("/callback", url.Values{"url": {"  " + landed + "\n"}})
		if p.status != http.StatusSeeOther || p.location != "/" {
			t.Fatalf("pasted callback: status %d to %q\n%s", p.status, p.location, p.body)
		}
		b.waitSync()
		if rows := exportRows(t, b); len(rows) != len(e.emu.WeightLogs()) {
			t.Errorf("after the pasted callback %d rows, want %d", len(rows), len(e.emu.WeightLogs()))
		}
		// The same address again: the sign-in is spent.
		if p := b.post("/callback", url.Values{"url": {landed}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "No sign-in in progress") {
			t.Errorf("the same paste twice: status %d\n%s", p.status, p.body)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		consentURL, request := b.consentOAuth2(fitbit.OAuth2ID)
		landed := b.decideOAuth2(consentURL, request, "allow", fitbit.Scopes...)
		u, _ := url.Parse(landed)
		otherHost := strings.Replace(landed, u.Host, "elsewhere.example", 1)
		otherPath := strings.Replace(landed, "/callback?", "/callbacks?", 1)
		noParams := strings.SplitN(landed, "?", 2)[0]
		for _, tt := range []struct {
			name, paste string
			status      int
			words       string
		}{
			{"Empty", "", http.StatusBadRequest, "Paste the whole address"},
			{"NotAURL", "the code was 1234", http.StatusBadRequest, "not a web address"},
			{"JavaScript", "javascript:alert(1)", http.StatusBadRequest, "not a web address"},
			{"OtherHost", otherHost, http.StatusBadRequest, "not the one the provider sends you back to"},
			{"OtherPath", otherPath, http.StatusBadRequest, "not the one the provider sends you back to"},
			{"NoParameters", noParams, http.StatusBadRequest, "missing a part"},
			{"WrongState", strings.Replace(landed, "state=", "state=x", 1), http.StatusBadRequest, "does not match"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				p := b.post("/callback", url.Values{"url": {tt.paste}})
				if p.status != tt.status || !strings.Contains(p.body, tt.words) {
					t.Errorf("paste %q: status %d, want %d saying %q\n%s", tt.paste, p.status, tt.status, tt.words, p.body)
				}
			})
		}
		// Another browser cannot use this browser's sign-in.
		if p := e.browser().post("/callback", url.Values{"url": {landed}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "No sign-in in progress") {
			t.Errorf("paste in another browser: status %d\n%s", p.status, p.body)
		}
		// A cross-site post is refused before it is read.
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.app.URL+"/callback", strings.NewReader(url.Values{"url": {landed}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site paste: status %d, want 403", resp.StatusCode)
		}
		// None of those spent the real sign-in: the right paste still works.
		if p := b.post("/callback", url.Values{"url": {landed}}); p.status != http.StatusSeeOther {
			t.Errorf("the right paste after the refused ones: status %d\n%s", p.status, p.body)
		}
	})
}

// TestNotANumberRefused: NaN and Inf pass a careless range check; they get the form's 400, not a 500.
func TestNotANumberRefused(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	for _, tt := range []struct {
		path string
		form url.Values
	}{
		{"/weighins", url.Values{"date": {"2026-11-30"}, "time": {"07:00"}, "weight": {"NaN"}}},
		{"/weighins", url.Values{"date": {"2026-11-30"}, "time": {"07:00"}, "weight": {"80"}, "fat": {"NaN"}}},
		{"/weighins", url.Values{"date": {"2026-11-30"}, "time": {"07:00"}, "weight": {"+Inf"}}},
		{"/settings", url.Values{"goal": {"NaN"}}},
		{"/settings", url.Values{"height_cm": {"NaN"}}},
	} {
		if p := b.post(tt.path, tt.form); p.status != http.StatusBadRequest {
			t.Errorf("POST %s %v: status %d, want 400", tt.path, tt.form, p.status)
		}
	}
}

// TestDemoAndRealAccountsStayApart: an account connected in demo mode does not sync when the app runs for real
// (and a real one not in demo mode): its tokens never reach the other side and its data stays as it is.
func TestDemoAndRealAccountsStayApart(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.connect()
	acct, err := e.db.ConnectedAccount(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetSourceDetail(t.Context(), acct.SourceID, store.DemoDetail); err != nil {
		t.Fatal(err)
	}
	rows := len(exportRows(t, b))
	before := e.emu.APIRequests()
	b.post("/sync", url.Values{})
	s := b.waitSync()
	if s.State != "failed" || !strings.Contains(s.Message, "syncs only in demo mode") {
		t.Errorf("sync of a demo account outside demo mode: %+v", s)
	}
	if n := e.emu.APIRequests(); n != before {
		t.Errorf("%d requests reached the provider, want none", n-before)
	}
	if got := len(exportRows(t, b)); got != rows {
		t.Errorf("%d rows after the refused sync, want %d", got, rows)
	}
}
