package emulator

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dghubble/oauth1"
)

// FuzzParseOAuthHeader: whatever the header, the parser does not panic, and what it accepts survives being
// written back the way a client writes it (RFC 5849 §3.5.1) and read again.
func FuzzParseOAuthHeader(f *testing.F) {
	f.Add(`OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_token="nnch734d00sl2jdk"`)
	f.Add(`oauth realm="Photos",oauth_token="t%2Fu"`)
	f.Add(`OAuth oauth_token="a%20b",,  , oauth_nonce=""`)
	f.Add(`OAuth oauth_token="a"b", x="%zz"`)
	f.Add(`OAuth oauth_token="a", oauth_token="b"`)
	f.Add(`OAuth oauth%5Ftoken="a", oauth_token="b"`)
	f.Add(`OAuth ="v", k=""`)
	f.Add(`OAuth k="`)
	f.Add(`OAuth`)
	f.Add(`Bearer abc`)
	f.Add("OAuth k=\"\xff\x00\"")

	f.Fuzz(func(t *testing.T, h string) {
		got, err := parseOAuthHeader(h)
		if err != nil {
			if !errors.Is(err, errAuthHeader) {
				t.Fatalf("parseOAuthHeader(%q) = %v, of no known kind", h, err)
			}
			return
		}
		if scheme, _, _ := strings.Cut(h, " "); !strings.EqualFold(scheme, "OAuth") {
			t.Fatalf("parseOAuthHeader(%q) accepted scheme %q", h, scheme)
		}
		again, err := parseOAuthHeader(writeOAuthHeader(got))
		if err != nil {
			t.Fatalf("parseOAuthHeader(%q) = %q, written back as %q: %v", h, got, writeOAuthHeader(got), err)
		}
		if !maps.Equal(got, again) {
			t.Fatalf("parseOAuthHeader(%q) = %q, written back and read again = %q", h, got, again)
		}
	})
}

// writeOAuthHeader writes parameters as dghubble/oauth1 does: every key and value percent-encoded and quoted.
func writeOAuthHeader(p map[string]string) string {
	pairs := make([]string, 0, len(p))
	for k, v := range p {
		pairs = append(pairs, oauth1.PercentEncode(k)+`="`+oauth1.PercentEncode(v)+`"`)
	}
	sort.Strings(pairs)
	return "OAuth " + strings.Join(pairs, ", ")
}

// FuzzSignatureBase: the base string is METHOD&enc(uri)&enc(params) with exactly two separators, each part
// decodes back to what went in, the parameters come out sorted, and their order going in does not matter.
// params is split on "&" and "=" without decoding, so that keys and values can hold any byte.
func FuzzSignatureBase(f *testing.F) {
	f.Add("GET", "http://photos.example.net/photos", "file=vacation.jpg&size=original&oauth_nonce=chapoH&oauth_token=nnch734d00sl2jdk")
	f.Add("post", "http://127.0.0.1:8081/oauth/request_token", "oauth_callback=http://127.0.0.1:8080/callback&oauth_version=1.0")
	f.Add("GET", "http://example.com/a%20b/c", "a=2&a=1&a=&=x&b")
	f.Add("GET", "http://example.com/", "q=a b+c&r=%2B&s=~-._&t=\xff\x00")
	f.Add("", "", "")

	f.Fuzz(func(t *testing.T, method, uri, raw string) {
		if strings.Contains(method, "&") {
			t.Skip("a method is an HTTP token and holds no &")
		}
		var params []param
		if raw != "" {
			for pair := range strings.SplitSeq(raw, "&") {
				k, v, _ := strings.Cut(pair, "=")
				params = append(params, param{k, v})
			}
		}
		base := signatureBase(method, uri, params)
		parts := strings.Split(base, "&")
		if len(parts) != 3 {
			t.Fatalf("signatureBase(%q, %q, %q) = %q: %d parts, want 3", method, uri, raw, base, len(parts))
		}
		if parts[0] != strings.ToUpper(method) {
			t.Fatalf("signatureBase: method %q, want %q", parts[0], strings.ToUpper(method))
		}
		if got := percentDecode(t, parts[1]); got != uri {
			t.Fatalf("signatureBase: uri decodes to %q, want %q", got, uri)
		}

		var got []param
		if norm := percentDecode(t, parts[2]); norm != "" {
			var encoded []string
			for pair := range strings.SplitSeq(norm, "&") {
				k, v, ok := strings.Cut(pair, "=")
				if !ok || strings.Contains(v, "=") {
					t.Fatalf("signatureBase: normalized pair %q is not one k=v", pair)
				}
				encoded = append(encoded, pair)
				got = append(got, param{percentDecode(t, k), percentDecode(t, v)})
			}
			if !isSortedByKeyThenValue(encoded) {
				t.Fatalf("signatureBase: parameters %q are not sorted", encoded)
			}
		}
		want := slices.Clone(params)
		sortParams(want)
		sortParams(got)
		if !slices.Equal(got, want) {
			t.Fatalf("signatureBase: parameters decode to %q, want %q", got, want)
		}

		reversed := slices.Clone(params)
		slices.Reverse(reversed)
		if again := signatureBase(method, uri, reversed); again != base {
			t.Fatalf("signatureBase depends on parameter order: %q, then %q", base, again)
		}
	})
}

// isSortedByKeyThenValue tells whether encoded k=v pairs are ordered by key, then by value (RFC 5849 §3.4.1.3.2).
func isSortedByKeyThenValue(pairs []string) bool {
	return slices.IsSortedFunc(pairs, func(a, b string) int {
		ak, av, _ := strings.Cut(a, "=")
		bk, bv, _ := strings.Cut(b, "=")
		if c := strings.Compare(ak, bk); c != 0 {
			return c
		}
		return strings.Compare(av, bv)
	})
}

func sortParams(ps []param) {
	slices.SortFunc(ps, func(a, b param) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
}

// percentDecode undoes oauth1.PercentEncode; a "+" stays a "+".
func percentDecode(t *testing.T, s string) string {
	t.Helper()
	d, err := url.PathUnescape(s)
	if err != nil {
		t.Fatalf("%q is not percent-encoded: %v", s, err)
	}
	return d
}

// FuzzRequestSignature signs a request with the real client (dghubble/oauth1, which the app uses), sends it
// through the wire format, and checks that the emulator computes the same signature from what arrives.
// Inputs the client cannot express are skipped: repeated parameter keys (the client keeps one value of each)
// and an empty path (the client signs "" where the server sees "/").
func FuzzRequestSignature(f *testing.F) {
	f.Add("GET", "/1/user/-/profile.json", "", "")
	f.Add("GET", "/1/user/-/body/log/weight/date/2024-01-01/2024-01-31.json", "", "")
	f.Add("GET", "/a%20b/c", "q=a+b&r=c%20d&s=%2B", "")
	f.Add("POST", "/oauth/access_token", "x=1", "weight=73.5&date=2024-01-02")
	f.Add("POST", "/a", "", "oauth_verifier=v%26w&empty=")
	f.Add("DELETE", "/%E2%82%AC/~-._", "k=%E2%82%AC", "")

	cfg := oauth1.NewConfig("ck", "c&s ecret")
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		if method != http.MethodGet && method != http.MethodPost && method != http.MethodDelete {
			t.Skip("only the methods the app sends")
		}
		u, err := url.Parse("http://127.0.0.1:8081" + path)
		if err != nil || u.Path == "" || u.Host != "127.0.0.1:8081" || u.RawQuery != "" || u.Fragment != "" {
			t.Skip("path is not a plain path")
		}
		u.RawQuery = query
		req, err := http.NewRequest(method, u.String(), strings.NewReader(body))
		if err != nil {
			t.Skip("not a request")
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		var arrived *http.Request
		client := cfg.Client(t.Context(), oauth1.NewToken("tok", "t/secret"))
		client.Transport.(*oauth1.Transport).Base = wireTransport{&arrived}
		resp, err := client.Do(req)
		if err != nil {
			t.Skip("the client or the wire refuses it")
		}
		resp.Body.Close()

		p, err := parseOAuthHeader(arrived.Header.Get("Authorization"))
		if err != nil {
			t.Fatalf("the client's header %q does not parse: %v", arrived.Header.Get("Authorization"), err)
		}
		if repeatedKeys(arrived, p) {
			t.Skip("repeated parameter keys")
		}
		want, err := requestSignature(arrived, p, "c&s ecret", "t/secret")
		if err != nil {
			t.Skip("the emulator cannot read the parameters")
		}
		if p["oauth_signature"] != want {
			t.Fatalf("%s %s with body %q: client signed %s, emulator computed %s", method, arrived.URL, body, p["oauth_signature"], want)
		}
	})
}

// wireTransport writes the request in HTTP/1.1 wire format and reads it back as a server would, then answers 204.
type wireTransport struct{ arrived **http.Request }

func (w wireTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		return nil, err
	}
	r, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		return nil, err
	}
	*w.arrived = r
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Header: http.Header{}, Request: req}, nil
}

// repeatedKeys tells whether a key occurs twice among the query, the form body and the OAuth parameters.
func repeatedKeys(r *http.Request, oauthParams map[string]string) bool {
	seen := map[string]bool{}
	for k := range oauthParams {
		if k != "oauth_signature" && k != "realm" {
			seen[k] = true
		}
	}
	lists := []url.Values{r.URL.Query()}
	if r.Body != nil && r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b.Bytes()))
		form, _ := url.ParseQuery(b.String())
		lists = append(lists, form)
	}
	for _, vs := range lists {
		for k, list := range vs {
			if seen[k] || len(list) > 1 {
				return true
			}
			seen[k] = true
		}
	}
	return false
}
