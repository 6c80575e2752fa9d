package ihealth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/connect"
)

// tokenAnswer is the code exchange's and the refresh's answer. 2013-2015 answers carried AccessToken, Expires,
// RefreshToken, APIName, client_para and UserID; about 2023 they add RefreshTokenExpires, UUID, UserOpenID,
// UserRegion and token_type.
type tokenAnswer struct {
	AccessToken  string          `json:"AccessToken"`
	Expires      json.RawMessage `json:"Expires"`
	RefreshToken string          `json:"RefreshToken"`
	UserID       string          `json:"UserID"`
	UserRegion   string          `json:"UserRegion"`
	APIName      string          `json:"APIName"`
}

// Why a token answer cannot be used; they wrap connect.ErrRejected.
var (
	errNoUserID  = errors.New("the token answer names no UserID")
	errNoToken   = errors.New("the token answer has no AccessToken")
	errBadExpiry = errors.New("the token answer's Expires is not a number")
	errNotJSON   = errors.New("the token answer is not JSON")
)

// decodeToken reads a token answer. needUser is false for a refresh, whose answer may leave UserID out.
// apiURL is the configured host, against which UserRegion is judged.
func decodeToken(body []byte, now time.Time, apiURL string, needUser bool) (connect.Token, error) {
	var a tokenAnswer
	if err := json.Unmarshal(bytes.TrimSpace(body), &a); err != nil {
		return connect.Token{}, errNotJSON
	}
	if a.AccessToken == "" {
		return connect.Token{}, errNoToken
	}
	a.UserID = strings.TrimSpace(a.UserID)
	if needUser && (a.UserID == "" || len(a.UserID) > 64 || strings.ContainsAny(a.UserID, "/?#%")) {
		return connect.Token{}, errNoUserID
	}
	expiry, err := expiryOf(a.Expires, now)
	if err != nil {
		return connect.Token{}, err
	}
	return connect.Token{
		Kind: "oauth2", Token: a.AccessToken, RefreshToken: a.RefreshToken, Expiry: expiry,
		Scope: a.APIName, UserID: a.UserID, Secret: regionOf(a.UserRegion, apiURL),
	}, nil
}

// expiryOf reads Expires. Real answers give a lifetime in seconds (3672000); the official sample's comment
// calls it "unix time", so a value past 2001 in seconds is read as an instant. Either way the token is trusted
// for tokenLifetimeCap at most. A missing Expires is the cap.
func expiryOf(raw json.RawMessage, now time.Time) (time.Time, error) {
	raw = bytes.TrimSpace(raw)
	limit := now.Add(tokenLifetimeCap)
	if len(raw) == 0 || string(raw) == "null" {
		return limit, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v <= 0 || v != v || v > 1e12 {
		return time.Time{}, errBadExpiry
	}
	at := now.Add(time.Duration(v) * time.Second)
	if v > 1e9 {
		at = time.Unix(int64(v), 0)
	}
	if at.After(limit) {
		at = limit
	}
	return at, nil
}

// regionOf is the origin ("https://openapi.ihealthlabs.eu") of the host UserRegion names, when the app may send
// the account's credentials there: the configured host itself, a host of iHealth's own domains over https, or,
// when the configured host is on loopback (the emulator), another loopback host. Anything else is ignored ("").
// The answer also names the US host ("https://api.ihealthlabs.com:8443") for US accounts; a bare host gets the
// configured scheme.
func regionOf(region, apiURL string) string {
	region = strings.TrimRight(strings.TrimSpace(region), "/")
	if region == "" {
		return ""
	}
	api, err := url.Parse(apiURL)
	if err != nil {
		return ""
	}
	if !strings.Contains(region, "://") {
		region = api.Scheme + "://" + region
	}
	u, err := url.Parse(region)
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return ""
	}
	origin := u.Scheme + "://" + u.Host
	switch {
	case strings.EqualFold(u.Host, api.Host) && u.Scheme == api.Scheme:
		return origin
	case u.Scheme == "https" && (hasDomain(u.Hostname(), "ihealthlabs.com") || hasDomain(u.Hostname(), "ihealthlabs.eu")):
		return origin
	case loopback(api.Hostname()) && loopback(u.Hostname()) && (u.Scheme == "http" || u.Scheme == "https"):
		return origin
	}
	return ""
}

func hasDomain(host, domain string) bool {
	host = strings.ToLower(host)
	return host == domain || strings.HasSuffix(host, "."+domain)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// rejected wraps a token answer's problem for the callback page.
func rejected(step string, err error) error {
	return fmt.Errorf("%w: %s: %w", connect.ErrRejected, step, err)
}
