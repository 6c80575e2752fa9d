package handlers_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/provider"
	"github.com/bodystats/bodystats/internal/registry"
	"github.com/bodystats/bodystats/internal/store"
	"github.com/bodystats/bodystats/internal/syncer"
	"github.com/bodystats/bodystats/web"
)

// The "scale" provider below is defined in this file only: its sign-in, its client, its Source, its spec, and its
// emulator. TestProviderIsOnePackage registers it in a registry of its own and drives the whole app with it, the
// proof that adding a provider touches no handler, syncer or store code.

type scaleProvider struct {
	provider.Base
	api string
}

func (p *scaleProvider) Identify(ctx context.Context, hc *http.Client, _ connect.Token) (provider.Profile, error) {
	var me struct{ ID, Name string }
	if err := getJSON(ctx, hc, p.api+"/me", &me); err != nil {
		return provider.Profile{}, err
	}
	return provider.Profile{UserID: me.ID, DisplayName: me.Name, TimeZone: "Europe/Paris", Unit: "kg"}, nil
}

func (p *scaleProvider) Source(env provider.SourceEnv) (provider.Source, error) {
	return &scaleSource{hc: env.HTTP, api: p.api, page: 1}, nil
}

// scaleSource lists /weights newest first, one page a request.
type scaleSource struct {
	hc   *http.Client
	api  string
	page int
}

func (s *scaleSource) RateLimit() provider.RateLimit { return provider.RateLimit{} }

func (s *scaleSource) Next(ctx context.Context) (provider.Step, error) {
	var body struct {
		Weights []struct {
			ID   string    `json:"id"`
			Time time.Time `json:"time"`
			Kg   float64   `json:"kg"`
		} `json:"weights"`
		Next int `json:"next"`
	}
	if err := getJSON(ctx, s.hc, s.api+"/weights?page="+strconv.Itoa(s.page), &body); err != nil {
		return provider.Step{}, err
	}
	step := provider.Step{Cursor: []byte(`{}`), Done: body.Next == 0}
	for _, w := range body.Weights {
		step.Readings = append(step.Readings, provider.Reading{ExternalID: w.ID, Date: w.Time.Format(time.DateOnly),
			Clock: w.Time.Format(time.TimeOnly), Zone: w.Time.Format("-07:00"), WeightKg: w.Kg, Device: "Test Scale", Method: provider.Device})
	}
	s.page = body.Next
	return step, nil
}

func getJSON(ctx context.Context, hc *http.Client, u string, v any) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("scale: %w: %w", provider.ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("scale: HTTP %d: %w", resp.StatusCode, provider.ErrUnauthorized)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("scale: %w", provider.ErrMalformed)
	}
	return nil
}

var scaleSpec = provider.Spec{
	ID:         "scale",
	Configured: func(get func(string) string) bool { return get("SCALE_CLIENT_ID") != "" },
	New: func(env provider.Env) provider.Provider {
		signIn := connect.NewOAuth2(connect.OAuth2Config{
			Name: "scale", ClientID: env.Get("SCALE_CLIENT_ID"), ClientSecret: env.Get("SCALE_CLIENT_SECRET"),
			AuthURL: env.Get("SCALE_URL") + "/authorize", TokenURL: env.Get("SCALE_URL") + "/token", AuthStyle: oauth2.AuthStyleInParams,
			CallbackURL: env.CallbackURL, HTTPClient: env.HTTPClient,
		})
		info := provider.Info{ID: "scale", Name: "Test Scale", Action: "Connect Test Scale", Note: "A provider that lives in one test file."}
		return &scaleProvider{Base: provider.Base{Provider: signIn, About: info}, api: env.Get("SCALE_URL")}
	},
}

// scaleEmulator is the provider's strict little server: exact redirect URI, S256 PKCE, single-use codes, Bearer.
type scaleEmulator struct {
	mu        sync.Mutex
	redirect  string
	codes     map[string]string // code → PKCE challenge
	weights   []time.Time
	requests  int
	authorize int
}

func (s *scaleEmulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.URL.Path {
	case "/authorize": // consent is automatic: the person always allows
		q := r.URL.Query()
		if q.Get("client_id") != "scale-client" || q.Get("redirect_uri") != s.redirect || q.Get("code_challenge_method") != "S256" {
			http.Error(w, "bad authorization request", http.StatusBadRequest)
			return
		}
		s.authorize++
		code := rand.Text()
		s.codes[code] = q.Get("code_challenge")
		http.Redirect(w, r, s.redirect+"?code="+code+"&state="+url.QueryEscape(q.Get("state")), http.StatusFound)
	case "/token":
		challenge, ok := s.codes[r.PostFormValue("code")]
		delete(s.codes, r.PostFormValue("code"))
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if !ok || r.PostFormValue("client_secret") != "scale-secret" || r.PostFormValue("redirect_uri") != s.redirect ||
			base64.RawURLEncoding.EncodeToString(sum[:]) != challenge {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"scale-token","token_type":"Bearer","expires_in":3600,"refresh_token":"scale-refresh"}`)
	case "/me", "/weights":
		if r.Header.Get("Authorization") != "Bearer scale-token" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/me" {
			io.WriteString(w, `{"ID":"scale-user-7","Name":"Scale Person"}`)
			return
		}
		s.requests++
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		const size = 10
		type weight struct {
			ID   string    `json:"id"`
			Time time.Time `json:"time"`
			Kg   float64   `json:"kg"`
		}
		var out struct {
			Weights []weight `json:"weights"`
			Next    int      `json:"next"`
		}
		for i := (page - 1) * size; i < min(page*size, len(s.weights)); i++ {
			out.Weights = append(out.Weights, weight{ID: "w" + strconv.Itoa(i), Time: s.weights[i], Kg: 70 + float64(i)/10})
		}
		if page*size < len(s.weights) {
			out.Next = page + 1
		}
		json.NewEncoder(w).Encode(out)
	default:
		http.NotFound(w, r)
	}
}

func TestProviderIsOnePackage(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	emu := &scaleEmulator{codes: map[string]string{}}
	for i := range 25 { // newest first, a day apart
		emu.weights = append(emu.weights, time.Date(2026, 11, 30, 7, 30, 0, 0, paris).AddDate(0, 0, -i))
	}
	api := httptest.NewServer(emu)
	defer api.Close()
	app := httptest.NewUnstartedServer(nil)
	base := "http://" + app.Listener.Addr().String()
	emu.redirect = base + "/callback"

	settings := map[string]string{"SCALE_CLIENT_ID": "scale-client", "SCALE_CLIENT_SECRET": "scale-secret", "SCALE_URL": api.URL}
	penv := provider.Env{Get: func(k string) string { return settings[k] }, CallbackURL: base + "/callback", BaseURL: base}
	providers := registry.Build([]registry.Entry{{Spec: scaleSpec}}, penv)
	if len(providers) != 1 {
		t.Fatalf("the test registry built %d providers, want 1", len(providers))
	}
	key := make([]byte, 32)
	rand.Read(key)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "bodystats.db"), store.Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sessionKey := make([]byte, 64)
	rand.Read(sessionKey)
	h, err := handlers.New(handlers.Options{
		Store: db, Providers: providers, SessionKey: sessionKey, Templates: web.Templates(), Static: web.Static(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: base, FirstSyncWait: 10 * time.Second,
		Sync: syncer.Options{Backoff: time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	app.Config.Handler = h.Routes()
	app.Start()
	defer func() { app.Close(); h.Close() }()
	e := &env{t: t, app: app, db: db, h: h}
	b := e.browser()

	if p := b.get("/"); !strings.Contains(p.body, `href="/login?provider=scale"`) || !strings.Contains(p.body, "Connect Test Scale") {
		t.Fatalf("the landing page does not offer the provider:\n%s", p.body)
	}
	if p := b.get("/sources"); p.status != http.StatusOK || !strings.Contains(p.body, "Connect Test Scale") {
		t.Fatalf("the sources page does not offer the provider: status %d\n%s", p.status, p.body)
	}
	login := b.get("/login?provider=scale")
	if login.status != http.StatusFound || !strings.HasPrefix(login.location, api.URL+"/authorize?") {
		t.Fatalf("GET /login?provider=scale: %d to %q", login.status, login.location)
	}
	consent := b.get(login.location)
	if consent.status != http.StatusFound {
		t.Fatalf("the provider refused the authorization request: %d %s", consent.status, consent.body)
	}
	if p := b.get(consent.location); p.status != http.StatusSeeOther || p.location != "/" {
		t.Fatalf("callback: %d to %q\n%s", p.status, p.location, p.body)
	}
	if s := b.waitSync(); s.State != "idle" || s.Measurements != len(emu.weights) {
		t.Fatalf("sync ended %+v, want idle with %d weigh-ins", s, len(emu.weights))
	}
	if emu.requests != 3 {
		t.Errorf("the sync sent %d page requests, want 3 (25 weigh-ins, 10 a page)", emu.requests)
	}
	dash := b.get("/")
	if !shows(dash.body, "weight", "70.0") || !strings.Contains(dash.body, "Scale Person") {
		t.Fatalf("the dashboard does not show the provider's newest weigh-in (70.0 kg) and account:\n%s", dash.body)
	}
	src := b.get("/sources")
	if !strings.Contains(src.body, "Test Scale account") || !strings.Contains(src.body, `data-held="25"`) || strings.Contains(src.body, "Connect Test Scale") {
		t.Errorf("the sources page does not list the connected account with its 25 weigh-ins (and no second Connect):\n%s", src.body)
	}
	rows := exportRows(t, b)
	if len(rows) != 25 || rows[24][6] != "scale" || rows[24][0] != "2026-11-30" || rows[24][1] != "07:30:00" {
		t.Errorf("export: %d rows, newest %v; want 25 with provider scale at 2026-11-30 07:30:00", len(rows), rows[len(rows)-1])
	}
}
