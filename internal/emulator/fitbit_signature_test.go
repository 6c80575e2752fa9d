package emulator

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dghubble/oauth1"
)

// TestRequestSignatureRFC5849 checks the verifier's signature against the published known answers.
func TestRequestSignatureRFC5849(t *testing.T) {
	tests := []struct {
		name  string
		nonce string
		ts    string
		extra map[string]string
		want  string
	}{
		{"RFC 5849 section 1.2", "chapoH", "137131202", map[string]string{"realm": "Photos"}, "MdpQcU8iPSUjWoN/UDMsK2sui9I="},
		{"OAuth Core 1.0 appendix A.5", "kllo9940pd9333jh", "1191242096", map[string]string{"oauth_version": "1.0"}, "tR3+Ty81lMeYAr/Fid0kMTYa/WM="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://photos.example.net/photos?file=vacation.jpg&size=original", nil)
			p := map[string]string{
				"oauth_consumer_key":     "dpf43f3p2l4k3l03",
				"oauth_token":            "nnch734d00sl2jdk",
				"oauth_signature_method": "HMAC-SHA1",
				"oauth_timestamp":        tt.ts,
				"oauth_nonce":            tt.nonce,
				"oauth_signature":        "ignored",
			}
			for k, v := range tt.extra {
				p[k] = v
			}
			got, err := requestSignature(r, p, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestRequestSignatureMatchesClient signs requests with the real client and recomputes them server-side:
// ports, escaped paths, "+" and spaces in queries, repeated keys are all things the two could disagree on.
func TestRequestSignatureMatchesClient(t *testing.T) {
	tests := []struct {
		name, method, url, body string
	}{
		{"port kept", "GET", "http://127.0.0.1:8081/1/user/-/profile.json", ""},
		{"port 80 dropped", "GET", "http://Example.COM:80/a", ""},
		{"plus and space", "GET", "http://example.com/a?q=a+b&r=c%20d&s=%2B", ""},
		{"escaped path", "GET", "http://example.com/a%20b/c", ""},
		{"form body", "POST", "http://example.com/a?x=1", "weight=73.5&date=2024-01-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *http.Request
			srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r })
			cfg := oauth1.NewConfig("ck", "c&s ecret")
			client := cfg.Client(t.Context(), oauth1.NewToken("tok", "t/secret"))
			client.Transport.(*oauth1.Transport).Base = handlerTransport{srv}
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if _, err := client.Do(req); err != nil {
				t.Fatal(err)
			}
			p, err := parseOAuthHeader(got.Header.Get("Authorization"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := requestSignature(got, p, "c&s ecret", "t/secret")
			if err != nil {
				t.Fatal(err)
			}
			if p["oauth_signature"] != want {
				t.Errorf("client signed %s, server computed %s", p["oauth_signature"], want)
			}
		})
	}
}

// handlerTransport hands a client request to a handler the way a server would see it.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := httptest.NewRequest(req.Method, req.URL.String(), req.Body)
	r.Header = req.Header.Clone()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func TestParseOAuthHeader(t *testing.T) {
	tests := []struct {
		in   string
		want string // sorted k=v, or "error"
	}{
		{`OAuth oauth_consumer_key="a%20b", oauth_nonce="n"`, "oauth_consumer_key=a b,oauth_nonce=n"},
		{`oauth realm="x",oauth_token="t%2Fu"`, "oauth_token=t/u,realm=x"},
		{`Bearer abc`, "error"},
		{`OAuth oauth_token=unquoted`, "error"},
		{`OAuth oauth_token="a", oauth_token="b"`, "error"},
	}
	for _, tt := range tests {
		m, err := parseOAuthHeader(tt.in)
		got := "error"
		if err == nil {
			var pairs []string
			for k, v := range m {
				pairs = append(pairs, k+"="+v)
			}
			sort.Strings(pairs)
			got = strings.Join(pairs, ",")
		}
		if got != tt.want {
			t.Errorf("parseOAuthHeader(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// signRequest signs r by hand as a client with the given credentials, nonce and timestamp would; tests use it
// where the real client cannot be steered (a skewed clock, a byte-identical replay).
func signRequest(t *testing.T, r *http.Request, consumerKey, consumerSecret, token, tokenSecret, nonce string, ts int64) {
	t.Helper()
	p := map[string]string{
		"oauth_consumer_key":     consumerKey,
		"oauth_signature_method": "HMAC-SHA1",
		"oauth_timestamp":        strconv.FormatInt(ts, 10),
		"oauth_nonce":            nonce,
		"oauth_version":          "1.0",
	}
	if token != "" {
		p["oauth_token"] = token
	}
	sig, err := requestSignature(r, p, consumerSecret, tokenSecret)
	if err != nil {
		t.Fatal(err)
	}
	p["oauth_signature"] = sig
	var pairs []string
	for k, v := range p {
		pairs = append(pairs, oauth1.PercentEncode(k)+`="`+oauth1.PercentEncode(v)+`"`)
	}
	sort.Strings(pairs)
	r.Header.Set("Authorization", "OAuth "+strings.Join(pairs, ", "))
}
