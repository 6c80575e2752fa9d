// Package googlehealth is a client for the Google Health API v4's identity, profile and body measurements over any authorised *http.Client.
package googlehealth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/bodystats/bodystats/internal/httpx"
)

// DefaultBaseURL is the Google Health API host.
const DefaultBaseURL = "https://health.googleapis.com"

// maxBody bounds how much of a response the client reads: a full page of 10000 data points is a few megabytes.
const maxBody = 32 << 20

// Client calls the Google Health API v4 for the signed-in user ("users/me").
// Weights arrive in grams and body fat in percent whatever the user's unit settings, so no locale is sent.
type Client struct {
	http    *http.Client
	baseURL string
}

// NewClient returns a client that sends its requests through httpClient, which must add the bearer token,
// to the API at baseURL (DefaultBaseURL when empty).
func NewClient(httpClient *http.Client, baseURL string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{http: httpClient, baseURL: strings.TrimRight(baseURL, "/")}
}

// Identity maps the user's Google Health ID to the legacy Fitbit user ID ("" for users who never had one).
type Identity struct {
	HealthUserID string
	LegacyUserID string
}

// Profile is the part of the Google Health profile the app uses. Height is a data type of its own (Height).
type Profile struct {
	Age             int
	MembershipStart string // YYYY-MM-DD, "" when unknown
}

// Identity returns the signed-in user's identifiers (GET /v4/users/me/identity, scope profile.readonly).
func (c *Client) Identity(ctx context.Context) (Identity, error) {
	var body struct {
		HealthUserID string `json:"healthUserId"`
		LegacyUserID string `json:"legacyUserId"`
	}
	if err := c.get(ctx, "/v4/users/me/identity", &body); err != nil {
		return Identity{}, fmt.Errorf("googlehealth: identity: %w", err)
	}
	if body.HealthUserID == "" {
		return Identity{}, fmt.Errorf("googlehealth: identity: %w: no healthUserId", ErrMalformed)
	}
	return Identity{HealthUserID: body.HealthUserID, LegacyUserID: body.LegacyUserID}, nil
}

// Profile returns the signed-in user's profile (GET /v4/users/me/profile, scope profile.readonly).
func (c *Client) Profile(ctx context.Context) (Profile, error) {
	var body struct {
		Age                 int       `json:"age"`
		MembershipStartDate *wireDate `json:"membershipStartDate"`
	}
	if err := c.get(ctx, "/v4/users/me/profile", &body); err != nil {
		return Profile{}, fmt.Errorf("googlehealth: profile: %w", err)
	}
	if body.Age < 0 {
		return Profile{}, fmt.Errorf("googlehealth: profile: %w: negative age", ErrMalformed)
	}
	p := Profile{Age: body.Age}
	// google.type.Date may be partial; a date with no year, month or day says nothing useful.
	if d := body.MembershipStartDate; d != nil && *d != (wireDate{}) {
		s, ok := d.format()
		if !ok {
			return Profile{}, fmt.Errorf("googlehealth: profile: %w: invalid membershipStartDate", ErrMalformed)
		}
		p.MembershipStart = s
	}
	return p, nil
}

// get performs one GET of path (which may carry a query) and decodes a 200 answer into v;
// any other answer becomes an *Error.
func (c *Client) get(ctx context.Context, path string, v any) error {
	body, err := c.fetch(ctx, path)
	if err != nil {
		return err
	}
	return decodeObject(body, v)
}

// fetch performs one GET and returns the body of a 200 answer.
func (c *Client) fetch(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, httpx.RedactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer: %w", ErrUnreachable, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, newError(resp, body)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("%w: answer larger than %d bytes", ErrMalformed, maxBody)
	}
	return body, nil
}

// decodeObject unmarshals a JSON object into v (a pointer to a struct); null, arrays and scalars are malformed.
func decodeObject(body []byte, v any) error {
	if !bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{")) {
		return fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return nil
}

// wireDate is google.type.Date.
type wireDate struct {
	Year  int `json:"year"`
	Month int `json:"month"`
	Day   int `json:"day"`
}

// format writes a complete, valid date as YYYY-MM-DD.
func (d wireDate) format() (string, bool) {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return "", false
	}
	s := fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	if !validDate(s) {
		return "", false // e.g. 30 February
	}
	return s, true
}
