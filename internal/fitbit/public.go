package fitbit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/bodystats/bodystats/internal/connect"
	"github.com/bodystats/bodystats/internal/httpx"
	"github.com/bodystats/bodystats/internal/provider"
)

// Why a public profile could not be read.
var (
	ErrBadUserID      = errors.New("fitbit: a user id is six letters or digits")
	ErrNoSuchUser     = provider.Kind("fitbit: no such user", provider.ErrNotFound)
	ErrPrivateProfile = provider.Kind("fitbit: the profile is not public", provider.ErrForbidden)
)

// PublicProfile is what the 2013 public-data read gives (UserID is Fitbit's encodedId).
type PublicProfile = provider.PublicProfile

// ReadsPublic reports whether this sign-in can sign the public read: only OAuth 1.0a holds a consumer key.
func (p *Provider) ReadsPublic() bool { return p.Name() == OAuth1ID }

// ValidPublicID is ValidUserID.
func (p *Provider) ValidPublicID(id string) bool { return ValidUserID(id) }

// ValidUserID reports whether id looks like a Fitbit user id: six letters or digits, like the seed's 1ABCDE.
func ValidUserID(id string) bool {
	if len(id) != 6 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return false
		}
	}
	return true
}

// ReadPublicProfile is the seed's unauth_client.user_profile_get(user_id=...): GET /1/user/{id}/profile.json
// signed with OAuth 1.0a by the consumer alone, with no user token and an empty token secret (RFC 5849 §3.4.2:
// the HMAC key is "consumer_secret&"). dghubble/oauth1 signs it when given an empty token: it sends
// oauth_token="" in the header, and that empty parameter is part of the signature base. No Accept-Language is
// sent, so the weight is in kilograms. hc carries the transport; no request is sent for an invalid id.
func ReadPublicProfile(ctx context.Context, hc *http.Client, apiURL, consumerKey, consumerSecret, userID string) (PublicProfile, error) {
	if !ValidUserID(userID) {
		return PublicProfile{}, ErrBadUserID
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	cfg := oauth1.Config{ConsumerKey: consumerKey, ConsumerSecret: consumerSecret}
	client := cfg.Client(context.WithValue(ctx, oauth1.HTTPClient, hc), oauth1.NewToken("", ""))
	client.Timeout = hc.Timeout
	return readPublic(ctx, client, apiURL, userID)
}

// DemoPublicUserSetting is not a CONTRACT.md variable: demo mode alone sets it, to the emulator's demo user,
// whose profile and body data are public.
const DemoPublicUserSetting = "FITBIT_DEMO_PUBLIC_USER"

// PublicExample is a user id the landing page may offer for the public read: the demo user in demo mode, else "".
func (p *Provider) PublicExample() string { return p.publicExample }

// ErrNoConsumer: only the OAuth 1.0a sign-in holds a consumer key to sign the public read with.
var ErrNoConsumer = errors.New("fitbit: the public read needs an OAuth 1.0a consumer key")

// PublicProfile reads userID's public profile with this provider's consumer key and secret alone: the OAuth 1.0a
// sign-in's Client with an empty token is exactly the two-legged signer.
func (p *Provider) PublicProfile(ctx context.Context, userID string) (PublicProfile, error) {
	if p.Name() != OAuth1ID {
		return PublicProfile{}, ErrNoConsumer
	}
	if !ValidUserID(userID) {
		return PublicProfile{}, ErrBadUserID
	}
	return readPublic(ctx, p.Provider.Client(ctx, connect.Token{Kind: "oauth1"}), p.apiURL, userID)
}

// readPublic sends the read through client, which signs it. Redirects are not followed.
func readPublic(ctx context.Context, client *http.Client, apiURL, userID string) (PublicProfile, error) {
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client = &c
	u := strings.TrimRight(apiURL, "/") + "/1/user/" + url.PathEscape(userID) + "/profile.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return PublicProfile{}, fmt.Errorf("fitbit: public profile request: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return PublicProfile{}, fmt.Errorf("%w: public profile: %w", ErrUnreachable, httpx.RedactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return PublicProfile{}, fmt.Errorf("%w: public profile: %w", ErrUnreachable, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound:
		return PublicProfile{}, ErrNoSuchUser
	case http.StatusForbidden:
		return PublicProfile{}, ErrPrivateProfile
	default:
		return PublicProfile{}, fmt.Errorf("fitbit: public profile: %w", newError(resp, body, RateLimit{}))
	}
	var shape struct {
		User struct {
			EncodedID   string   `json:"encodedId"`
			DisplayName string   `json:"displayName"`
			Avatar      string   `json:"avatar"`
			Avatar150   string   `json:"avatar150"`
			Weight      *float64 `json:"weight"`
		} `json:"user"`
	}
	if err := json.Unmarshal(body, &shape); err != nil || shape.User.EncodedID == "" && shape.User.DisplayName == "" {
		return PublicProfile{}, fmt.Errorf("%w: public profile", ErrMalformed)
	}
	p := PublicProfile{UserID: shape.User.EncodedID, DisplayName: shape.User.DisplayName, Avatar: webURL(shape.User.Avatar150)}
	if p.Avatar == "" {
		p.Avatar = webURL(shape.User.Avatar)
	}
	if w := shape.User.Weight; w != nil && *w > 0 && *w < 1000 {
		p.WeightKg, p.HasWeight = *w, true
	}
	return p, nil
}

// webURL keeps an avatar URL that a page may show: http or https, nothing else.
func webURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
