package ihealth

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// transport adds iHealth's query credentials to each request and reads each answer once, to turn "token no
// good" into a 401 whatever status it came with.
type transport struct {
	base   http.RoundTripper
	c      Config
	token  string
	region string // origin of the account's region, "" for the configured host
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	q := r.URL.Query()
	q.Set("client_id", t.c.ClientID)
	q.Set("client_secret", t.c.ClientSecret)
	q.Set("access_token", t.token)
	q.Set("sc", t.c.SC)
	q.Set("sv", t.c.SV)
	r.URL.RawQuery = q.Encode()
	if t.region != "" && sameOrigin(r.URL, t.c.APIURL) {
		if u, err := url.Parse(t.region); err == nil {
			r.URL.Scheme, r.URL.Host, r.Host = u.Scheme, u.Host, ""
		}
	} else if !sameOrigin(r.URL, t.c.APIURL) && (t.region == "" || !sameOrigin(r.URL, t.region)) {
		// The credentials go to iHealth's hosts only.
		return nil, errForeignHost
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if name, code, ok := errorIn(body); ok && (code == codeUnauthorizedToken || name == "unauthorized_token") {
		resp.StatusCode, resp.Status = http.StatusUnauthorized, "401 Unauthorized"
	}
	return resp, nil
}

var errForeignHost = &Error{Status: 0, Name: "foreign_host", kind: ErrBadRequest}

func sameOrigin(u *url.URL, origin string) bool {
	o, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, o.Host) && u.Scheme == o.Scheme
}
