package config

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// build resolves every field (flag > env > ini > default), checks it and
// fills a Config. The first problem wins; messages name the setting and its
// source and never repeat a value, since any value may be a misplaced secret.
func (l *loader) build() (Config, error) {
	var c Config
	for i := range fields {
		f := &fields[i]
		v, ok := l.vals[f]
		if !ok {
			v = value{s: f.def}
			l.vals[f] = v
		}
		s, err := l.check(f, v)
		if err != nil {
			return Config{}, err
		}
		f.set(&c, s)
	}
	if c.BaseURL == "" {
		// Addr has been checked, so deriving cannot fail.
		c.BaseURL, _ = BaseURLFromAddr(c.Addr)
	} else {
		c.BaseURLSet = true
	}
	if err := l.checkPairs(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// check validates one value and returns it normalised.
func (l *loader) check(f *field, v value) (string, error) {
	switch f.kind {
	case kindAddr:
		if _, _, err := net.SplitHostPort(v.s); err != nil {
			var ae *net.AddrError
			if errors.As(err, &ae) {
				return "", l.errf(f, "is not a host:port listen address (%s)", ae.Err)
			}
			return "", l.errf(f, "is not a host:port listen address")
		}
	case kindInterval:
		if d, err := time.ParseDuration(v.s); err != nil || (d != 0 && d < time.Minute) {
			return "", l.errf(f, "must be a duration of at least 1m, like 30m or 6h, or 0 to turn it off")
		}
	case kindCIDRs:
		for i, part := range strings.Split(v.s, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			_, errP := netip.ParsePrefix(part)
			_, errA := netip.ParseAddr(part)
			if errP != nil && errA != nil {
				return "", l.errf(f, "entry %d is not an IP address or CIDR such as 10.0.0.0/8", i+1)
			}
		}
	case kindKeep:
		if _, _, ok := parseKeep(v.s); !ok {
			return "", l.errf(f, "must name days and weeks to keep, like 7d,4w or 30d (at least one above 0)")
		}
	case kindDir, kindPath:
		if v.s == "" {
			return "", l.errf(f, "is empty")
		}
	case kindBool:
		if _, ok := parseBool(v.s); !ok {
			return "", l.errf(f, "must be 1, true, 0 or false")
		}
	case kindBaseURL:
		if v.from == fromDefault {
			return "", nil // derived from Addr once Addr is known
		}
		u, msg := parseHTTPURL(v.s)
		if msg == "" && (u.RawQuery != "" || u.ForceQuery || u.Fragment != "") {
			msg = "must not have a query or fragment"
		}
		if msg == "" && u.Path != "" && u.Path != "/" {
			msg = "must not have a path (the app is served from /)"
		}
		if msg != "" {
			return "", l.errf(f, "%s", msg)
		}
		return u.Scheme + "://" + u.Host, nil
	case kindServiceURL, kindEndpointURL:
		u, msg := parseHTTPURL(v.s)
		if msg == "" && u.Fragment != "" {
			msg = "must not have a fragment"
		}
		if msg == "" && f.kind == kindServiceURL && (u.RawQuery != "" || u.ForceQuery) {
			msg = "must not have a query (paths are appended to it)"
		}
		if msg != "" {
			return "", l.errf(f, "%s", msg)
		}
		if f.kind == kindServiceURL {
			return strings.TrimRight(v.s, "/"), nil
		}
	}
	return v.s, nil
}

// parseHTTPURL returns a problem description rather than url.Parse's error,
// which quotes the input.
func parseHTTPURL(s string) (*url.URL, string) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, "is not a valid URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, "must be an absolute http:// or https:// URL"
	case u.Host == "" || u.Opaque != "":
		return nil, "must name a host (http://host:port)"
	case u.User != nil:
		return nil, "must not contain a user name or password"
	}
	return u, ""
}

// checkPairs refuses half a credential, which would otherwise fail much later
// at the provider with a less helpful message.
func (l *loader) checkPairs() error {
	for _, p := range pairs {
		a, b := lookup(p[0]), lookup(p[1])
		va, vb := l.vals[a], l.vals[b]
		switch {
		case va.s != "" && vb.s == "":
			return l.errf(a, "is set but %s is not", b.nameIn(va.from))
		case va.s == "" && vb.s != "":
			return l.errf(b, "is set but %s is not", a.nameIn(vb.from))
		}
	}
	uk, ck := lookup("U_KEY"), lookup("FITBIT_CONSUMER_KEY")
	if l.vals[uk].s != "" && l.vals[ck].s == "" {
		return l.errf(uk, "is set but no consumer key is (C_KEY, FITBIT_CONSUMER_KEY or -fitbit-consumer-key)")
	}
	return nil
}

// parseKeep reads a backup retention: comma- or space-separated terms Nd (days) and Mw (weeks), each at most
// once, at least one above zero.
func parseKeep(s string) (daily, weekly int, ok bool) {
	seen := map[byte]bool{}
	for _, term := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		unit := term[len(term)-1]
		n, err := strconv.Atoi(term[:len(term)-1])
		if err != nil || n < 0 || n > 10000 || seen[unit] {
			return 0, 0, false
		}
		seen[unit] = true
		switch unit {
		case 'd':
			daily = n
		case 'w':
			weekly = n
		default:
			return 0, 0, false
		}
	}
	return daily, weekly, daily > 0 || weekly > 0
}
