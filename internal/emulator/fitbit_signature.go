package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/dghubble/oauth1"
)

// maxFormBody bounds the form body read for signing; the Fitbit endpoints take a few parameters at most.
const maxFormBody = 1 << 20

// param is one request parameter, decoded. RFC 5849 §3.4.1.3 keeps duplicates, so parameters are a list.
type param struct{ key, value string }

var errAuthHeader = errors.New("emulator: malformed OAuth Authorization header")

// parseOAuthHeader reads `OAuth k="v", k2="v2"` (RFC 5849 §3.5.1) into decoded parameters, realm included.
// A repeated parameter is malformed.
func parseOAuthHeader(h string) (map[string]string, error) {
	scheme, rest, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "OAuth") {
		return nil, errAuthHeader
	}
	out := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return nil, errAuthHeader
		}
		key, err1 := url.PathUnescape(strings.TrimSpace(k))
		value, err2 := url.PathUnescape(v[1 : len(v)-1])
		if err1 != nil || err2 != nil {
			return nil, errAuthHeader
		}
		if _, dup := out[key]; dup {
			return nil, errAuthHeader
		}
		out[key] = value
	}
	return out, nil
}

// requestSignature is the HMAC-SHA1 signature (base64) that a client holding consumerSecret and tokenSecret
// computes for r with the given OAuth protocol parameters (RFC 5849 §3.4). oauth_signature and realm in
// oauthParams are ignored. It reads a form body and puts it back for the handler.
func requestSignature(r *http.Request, oauthParams map[string]string, consumerSecret, tokenSecret string) (string, error) {
	params, err := collectParams(r, oauthParams)
	if err != nil {
		return "", err
	}
	return hmacSHA1(signatureBase(r.Method, baseStringURI(r), params), consumerSecret, tokenSecret), nil
}

// collectParams gathers query parameters, an application/x-www-form-urlencoded body and the OAuth protocol
// parameters other than oauth_signature and realm (RFC 5849 §3.4.1.3.1).
func collectParams(r *http.Request, oauthParams map[string]string) ([]param, error) {
	var params []param
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	params = appendValues(params, query)
	if r.Body != nil && r.Body != http.NoBody {
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType == "application/x-www-form-urlencoded" {
			b, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody))
			if err != nil {
				return nil, err
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
			form, err := url.ParseQuery(string(b))
			if err != nil {
				return nil, err
			}
			params = appendValues(params, form)
		}
	}
	for k, v := range oauthParams {
		if k != "oauth_signature" && k != "realm" {
			params = append(params, param{k, v})
		}
	}
	return params, nil
}

func appendValues(params []param, vs url.Values) []param {
	for k, list := range vs {
		for _, v := range list {
			params = append(params, param{k, v})
		}
	}
	return params
}

// baseStringURI rebuilds the URL as the client addressed it (RFC 5849 §3.4.1.2). On a server r.URL holds only
// the path, so scheme and host come from the connection and the Host header. The port is dropped exactly when
// dghubble/oauth1 drops it: a host:port with port 80 or 443, whatever the scheme.
func baseStringURI(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := strings.ToLower(r.Host)
	if hp := strings.Split(host, ":"); len(hp) == 2 && (hp[1] == "80" || hp[1] == "443") {
		host = hp[0]
	}
	return scheme + "://" + host + r.URL.EscapedPath()
}

// signatureBase is METHOD&enc(uri)&enc(normalized parameters) (RFC 5849 §3.4.1.1): parameters encoded,
// sorted by key then value, joined with "=" and "&".
func signatureBase(method, uri string, params []param) string {
	enc := make([]param, len(params))
	for i, p := range params {
		enc[i] = param{oauth1.PercentEncode(p.key), oauth1.PercentEncode(p.value)}
	}
	sort.Slice(enc, func(i, j int) bool {
		if enc[i].key != enc[j].key {
			return enc[i].key < enc[j].key
		}
		return enc[i].value < enc[j].value
	})
	pairs := make([]string, len(enc))
	for i, p := range enc {
		pairs[i] = p.key + "=" + p.value
	}
	return strings.ToUpper(method) + "&" + oauth1.PercentEncode(uri) + "&" + oauth1.PercentEncode(strings.Join(pairs, "&"))
}

// hmacSHA1 signs base with the key enc(consumerSecret)&enc(tokenSecret) (RFC 5849 §3.4.2).
func hmacSHA1(base, consumerSecret, tokenSecret string) string {
	mac := hmac.New(sha1.New, []byte(oauth1.PercentEncode(consumerSecret)+"&"+oauth1.PercentEncode(tokenSecret)))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
