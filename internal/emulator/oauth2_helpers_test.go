package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Refusal tests need requests golang.org/x/oauth2 never sends, so these helpers build token requests by hand,
// the way it does with AuthStyleInHeader: a form body and Basic auth over the query-escaped ID and secret.
// xoauth2_test.go drives the same endpoints with the real client.

const (
	testClientID     = "bodystats-client"
	testClientSecret = "cl:ent&secret+/ x" // a colon and characters that query escaping must get right
	testRedirect     = "http://localhost:8080/oauth2/callback?from=test"
)

// authServer is one of the emulator's two OAuth 2.0 authorization servers.
type authServer struct {
	name, authPath, tokenPath string
	scopes                    []string
}

var (
	fitbitAS = authServer{"fitbit", "/oauth2/authorize", "/oauth2/token", []string{"weight", "profile"}}
	googleAS = authServer{"google", "/o/oauth2/v2/auth", "/token", []string{scopeHealthMetrics, scopeHealthProfile}}
)

type pkce struct{ verifier, challenge string }

// newPKCE is oauth2.GenerateVerifier and oauth2.S256ChallengeFromVerifier.
func newPKCE() pkce {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(v))
	return pkce{v, base64.RawURLEncoding.EncodeToString(sum[:])}
}

func newO2Fixture(t *testing.T, opts Options) *fixture {
	f := newFixture(t, opts)
	f.emu.AddOAuth2Client(testClientID, testClientSecret, testRedirect)
	return f
}

// authParams is an authorize request as the app builds it.
func authParams(as authServer, pk pkce) url.Values {
	return url.Values{
		"client_id": {testClientID}, "redirect_uri": {testRedirect}, "response_type": {"code"},
		"scope": {strings.Join(as.scopes, " ")}, "state": {"st-123"},
		"code_challenge": {pk.challenge}, "code_challenge_method": {"S256"},
	}
}

var requestField = regexp.MustCompile(`name="request" value="([0-9a-f]+)"`)

// consentPage GETs the authorize URL like a browser and returns the status, the page and its request handle.
func (f *fixture) consentPage(t *testing.T, as authServer, params url.Values) (int, string, string) {
	t.Helper()
	resp, err := browser.Get(f.srv.URL + as.authPath + "?" + params.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if loc := resp.Header.Get("Location"); loc != "" {
		t.Errorf("authorize redirected to %s; errors must show a page", loc)
	}
	var req string
	if m := requestField.FindStringSubmatch(string(body)); m != nil {
		req = m[1]
	}
	return resp.StatusCode, string(body), req
}

// decide posts the consent form as a browser would: the ticked scopes and scopes_shown.
func (f *fixture) decide(t *testing.T, as authServer, request, decision string, ticked []string) *url.URL {
	t.Helper()
	form := url.Values{"request": {request}, "decision": {decision}, "scopes_shown": {"1"}, "scope": ticked}
	resp, err := browser.PostForm(f.srv.URL+as.authPath, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("consent %s: got status %d, want 302", decision, resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// code runs the consent step, ticking ticked, and returns the code from the redirect and the PKCE pair.
func (f *fixture) code(t *testing.T, as authServer, extra url.Values, ticked []string) (string, pkce, *url.URL) {
	t.Helper()
	pk := newPKCE()
	params := authParams(as, pk)
	for k, v := range extra {
		params[k] = v
	}
	status, _, req := f.consentPage(t, as, params)
	if status != http.StatusOK || req == "" {
		t.Fatalf("consent page: got %d, request handle %q", status, req)
	}
	loc := f.decide(t, as, req, "allow", ticked)
	code := loc.Query().Get("code")
	if code == "" || loc.Query().Get("state") != "st-123" {
		t.Fatalf("redirect lacks code or state: %v", loc.Query().Has("code"))
	}
	return code, pk, loc
}

// tokenCall POSTs a token request with Basic client authentication (skipped when id is empty).
func (f *fixture) tokenCall(t *testing.T, as authServer, form url.Values, id, secret string) (int, map[string]any) {
	t.Helper()
	return f.tokenPost(t, as, form, func(r *http.Request) {
		if id != "" {
			r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
		}
	})
}

// tokenPost POSTs a token request form after auth has set the client authentication, and decodes the answer.
func (f *fixture) tokenPost(t *testing.T, as authServer, form url.Values, auth func(*http.Request)) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+as.tokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	auth(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("token answer %d is not JSON: %s", resp.StatusCode, raw)
	}
	for _, s := range []string{testClientSecret, form.Get("code"), form.Get("code_verifier"), form.Get("refresh_token")} {
		if resp.StatusCode != http.StatusOK && s != "" && strings.Contains(string(raw), s) {
			t.Errorf("token refusal quotes a secret: %s", raw)
		}
	}
	return resp.StatusCode, body
}

func (f *fixture) exchange(t *testing.T, as authServer, code, verifier string) (int, map[string]any) {
	t.Helper()
	return f.tokenCall(t, as, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {testRedirect}, "code_verifier": {verifier}}, testClientID, testClientSecret)
}

func (f *fixture) refresh(t *testing.T, as authServer, token string) (int, map[string]any) {
	t.Helper()
	return f.tokenCall(t, as, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}}, testClientID, testClientSecret)
}

// connectO2 runs the whole flow granting every scope and returns the token answer.
func (f *fixture) connectO2(t *testing.T, as authServer, extra url.Values) map[string]any {
	t.Helper()
	code, pk, _ := f.code(t, as, extra, as.scopes)
	status, tok := f.exchange(t, as, code, pk.verifier)
	if status != http.StatusOK {
		t.Fatalf("exchange: got %d %v", status, tok)
	}
	return tok
}

// tokenErrorCode reads a token refusal in the server's own shape.
func tokenErrorCode(as authServer, body map[string]any) string {
	if as.name == "google" {
		s, _ := body["error"].(string)
		return s
	}
	errs, _ := body["errors"].([]any)
	if len(errs) != 1 || body["success"] != false {
		return "not Fitbit's shape"
	}
	s, _ := errs[0].(map[string]any)["errorType"].(string)
	return s
}

// bearerGet GETs path with a Bearer token; the body stays readable.
func (f *fixture) bearerGet(t *testing.T, path, token string, v any) *http.Response {
	t.Helper()
	c := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Authorization", "Bearer "+token)
		return http.DefaultTransport.RoundTrip(r)
	})}
	return get(t, c, f.srv.URL+path, "", v)
}

// wantGoogleError checks a Health API refusal's code and Google error shape.
func wantGoogleError(t *testing.T, resp *http.Response, code int, status string) {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != code {
		t.Fatalf("got status %d, want %d (%s)", resp.StatusCode, code, body)
	}
	var e googleErrorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != code || e.Error.Status != status || e.Error.Message == "" {
		t.Errorf("got %s, want Google's error shape with code %d status %s", body, code, status)
	}
}
