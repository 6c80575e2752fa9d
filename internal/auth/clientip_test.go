package auth

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestResolve(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/8, 100.64.0.0/10,::1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, remote, xff, proto, host string
		want                           Forwarded
	}{
		{"UntrustedPeerIgnored", "198.51.100.7:5000", "1.2.3.4", "https", "evil.example",
			Forwarded{Client: netip.MustParseAddr("198.51.100.7"), Proto: "http", Host: "app.example"}},
		{"TrustedProxy", "10.0.0.2:5000", "203.0.113.9", "https", "scale.example",
			Forwarded{Client: netip.MustParseAddr("203.0.113.9"), Proto: "https", Host: "scale.example", Proxy: true}},
		{"ForgedLeftmostSkipped", "10.0.0.2:5000", "1.2.3.4, 203.0.113.9", "", "",
			Forwarded{Client: netip.MustParseAddr("203.0.113.9"), Proto: "http", Host: "app.example", Proxy: true}},
		{"ChainOfProxies", "10.0.0.2:5000", "203.0.113.9, 100.100.1.1", "https", "",
			Forwarded{Client: netip.MustParseAddr("203.0.113.9"), Proto: "https", Host: "app.example", Proxy: true}},
		{"GarbledHop", "[::1]:5000", "nonsense", "gopher", "",
			Forwarded{Client: netip.MustParseAddr("::1"), Proto: "http", Host: "app.example", Proxy: true}},
		{"NoHeader", "10.0.0.2:5000", "", "", "",
			Forwarded{Client: netip.MustParseAddr("10.0.0.2"), Proto: "http", Host: "app.example", Proxy: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://app.example/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if tt.host != "" {
				r.Header.Set("X-Forwarded-Host", tt.host)
			}
			if got := proxies.Resolve(r); got != tt.want {
				t.Fatalf("Resolve = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseProxiesBad(t *testing.T) {
	for _, s := range []string{"10.0.0.0/33", "not-an-ip", "10.0.0.1/8/1"} {
		if _, err := ParseProxies(s); err == nil {
			t.Errorf("ParseProxies(%q) accepted", s)
		}
	}
	if p, err := ParseProxies(""); err != nil || len(p.nets) != 0 {
		t.Errorf("empty: %v %v", p, err)
	}
}

func TestClientKey(t *testing.T) {
	a := ClientKey(netip.MustParseAddr("2001:db8:1:2:aaaa::1"))
	b := ClientKey(netip.MustParseAddr("2001:db8:1:2:bbbb::9"))
	if a != b || a != "2001:db8:1:2::/64" {
		t.Errorf("IPv6 keys %q %q, want one /64", a, b)
	}
	if k := ClientKey(netip.MustParseAddr("192.0.2.1")); k != "192.0.2.1" {
		t.Errorf("IPv4 key %q", k)
	}
}
