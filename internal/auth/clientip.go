package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// Proxies are the reverse proxies whose X-Forwarded-For, -Proto and -Host are believed
// (BODYSTATS_TRUSTED_PROXIES). The zero value trusts no one.
type Proxies struct {
	nets []netip.Prefix
}

// ParseProxies reads comma-separated CIDRs; a bare address means just that address.
func ParseProxies(s string) (Proxies, error) {
	var p Proxies
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return Proxies{}, fmt.Errorf("auth: trusted proxy %d is not an address or CIDR", len(p.nets)+1)
			}
			part = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()).String()
		}
		pre, err := netip.ParsePrefix(part)
		if err != nil {
			return Proxies{}, fmt.Errorf("auth: trusted proxy %d is not an address or CIDR", len(p.nets)+1)
		}
		p.nets = append(p.nets, pre.Masked())
	}
	return p, nil
}

func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// Forwarded is what a request says about its client once untrusted headers are ignored.
type Forwarded struct {
	Client netip.Addr // the client's address; invalid when RemoteAddr is unreadable
	Proto  string     // "https" or "http"
	Host   string     // the Host the client asked for
	Proxy  bool       // the peer is a trusted proxy and its headers were used
}

// Resolve reads the client of r. The headers count only when the direct peer is a trusted proxy; then
// X-Forwarded-For is read from the right, skipping trusted proxies, so a client cannot forge its own address by
// sending the header itself.
func (p Proxies) Resolve(r *http.Request) Forwarded {
	f := Forwarded{Proto: "http", Host: r.Host}
	if r.TLS != nil {
		f.Proto = "https"
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return f
	}
	f.Client = peer.Unmap()
	if !p.trusted(peer) {
		return f
	}
	f.Proxy = true
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled hop: believe nothing further left
		}
		f.Client = a.Unmap()
		if !p.trusted(a) {
			break
		}
	}
	if proto := strings.ToLower(firstValue(r.Header.Get("X-Forwarded-Proto"))); proto == "https" || proto == "http" {
		f.Proto = proto
	}
	if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" {
		f.Host = h
	}
	return f
}

func firstValue(s string) string {
	s, _, _ = strings.Cut(s, ",")
	return strings.TrimSpace(s)
}

// ClientKey is the throttle's key for an address: IPv6 clients are counted per /64, since one host usually
// holds a whole /64.
func ClientKey(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() && !a.Is4In6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}

// LoopbackURL reports whether a URL's host names this machine only: localhost (or a name under .localhost) or a
// loopback address.
func LoopbackURL(u string) bool {
	parsed, err := url.Parse(u)
	if err != nil {
		return false
	}
	host := strings.ToLower(parsed.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}
