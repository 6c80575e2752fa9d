// Package fitbit is a client for the Fitbit Web API's profile and body resources over any authorised *http.Client.
package fitbit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/httpx"
)

// DefaultBaseURL is the Fitbit Web API host.
const DefaultBaseURL = "https://api.fitbit.com"

// MaxLogRange is the longest span, in days inclusive, that one weight-log or fat-log request may cover.
const MaxLogRange = 31

// maxBody bounds how much of a response the client reads: a month of weigh-ins is a few kilobytes.
const maxBody = 4 << 20

// Client calls the Fitbit Web API for the signed-in user ("-").
// It sends no Accept-Language header, so every weight arrives in kilograms and every height in centimetres.
type Client struct {
	http    *http.Client
	baseURL string
	observe func(RateLimit) // called with every answer's rate-limit headers
}

// NewClient returns a client that sends its requests through httpClient, which must add the authorisation
// (an OAuth 1.0a signing client or an OAuth 2.0 bearer client), to the API at baseURL.
func NewClient(httpClient *http.Client, baseURL string) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{http: httpClient, baseURL: strings.TrimRight(baseURL, "/")}
}

// ObserveRateLimit makes the client report every answer's Fitbit-Rate-Limit-* headers to f, so a caller can stop
// before the hourly budget is spent.
func (c *Client) ObserveRateLimit(f func(RateLimit)) { c.observe = f }

// Profile is the part of the user's profile the app uses. Heights are in centimetres.
type Profile struct {
	EncodedID           string  `json:"encodedId"`
	DisplayName         string  `json:"displayName"`
	FullName            string  `json:"fullName"`
	MemberSince         string  `json:"memberSince"`
	HeightCm            float64 `json:"height"`
	TimeZone            string  `json:"timezone"`
	OffsetFromUTCMillis int64   `json:"offsetFromUTCMillis"`
	Locale              string  `json:"locale"`
	WeightUnit          string  `json:"weightUnit"` // the person's display unit: "en_US" pounds, "en_GB" stone, "METRIC"
}

// WeightLog is one weigh-in as the weight-log resource returns it. Weight is in kilograms.
// Fat is nil when the weigh-in measured no body fat; Date and Time are the user's local wall clock.
type WeightLog struct {
	LogID  int64    `json:"logId"`
	Date   string   `json:"date"`
	Time   string   `json:"time"`
	Weight float64  `json:"weight"`
	BMI    float64  `json:"bmi"`
	Fat    *float64 `json:"fat"`
	Source string   `json:"source"`
}

// FatLog is one body-fat measurement as the fat-log resource returns it.
type FatLog struct {
	LogID  int64   `json:"logId"`
	Date   string  `json:"date"`
	Time   string  `json:"time"`
	Fat    float64 `json:"fat"`
	Source string  `json:"source"`
}

// Profile returns the signed-in user's profile (GET /1/user/-/profile.json, scope profile).
func (c *Client) Profile(ctx context.Context) (Profile, error) {
	var body struct {
		User *Profile `json:"user"`
	}
	if err := c.get(ctx, "/1/user/-/profile.json", &body); err != nil {
		return Profile{}, fmt.Errorf("fitbit: profile: %w", err)
	}
	if body.User == nil {
		return Profile{}, fmt.Errorf("fitbit: profile: %w: no user object", ErrMalformed)
	}
	return *body.User, nil
}

// WeightLogs returns the weigh-ins from start to end inclusive (local dates), at most MaxLogRange days.
func (c *Client) WeightLogs(ctx context.Context, start, end time.Time) ([]WeightLog, error) {
	path, err := logRangePath("weight", start, end)
	if err != nil {
		return nil, err
	}
	var body struct {
		Weight *[]WeightLog `json:"weight"`
	}
	if err := c.get(ctx, path, &body); err != nil {
		return nil, fmt.Errorf("fitbit: weight logs %s: %w", rangeName(start, end), err)
	}
	if body.Weight == nil {
		return nil, fmt.Errorf("fitbit: weight logs %s: %w: no weight array", rangeName(start, end), ErrMalformed)
	}
	return *body.Weight, nil
}

// FatLogs returns the body-fat measurements from start to end inclusive, at most MaxLogRange days.
func (c *Client) FatLogs(ctx context.Context, start, end time.Time) ([]FatLog, error) {
	path, err := logRangePath("fat", start, end)
	if err != nil {
		return nil, err
	}
	var body struct {
		Fat *[]FatLog `json:"fat"`
	}
	if err := c.get(ctx, path, &body); err != nil {
		return nil, fmt.Errorf("fitbit: fat logs %s: %w", rangeName(start, end), err)
	}
	if body.Fat == nil {
		return nil, fmt.Errorf("fitbit: fat logs %s: %w: no fat array", rangeName(start, end), ErrMalformed)
	}
	return *body.Fat, nil
}

func logRangePath(resource string, start, end time.Time) (string, error) {
	if days := DaysBetween(start, end) + 1; days < 1 || days > MaxLogRange {
		return "", fmt.Errorf("fitbit: %s logs %s: range of %d days is outside 1..%d", resource, rangeName(start, end), days, MaxLogRange)
	}
	return "/1/user/-/body/log/" + resource + "/date/" + FormatDate(start) + "/" + FormatDate(end) + ".json", nil
}

func rangeName(start, end time.Time) string { return FormatDate(start) + ".." + FormatDate(end) }

// get performs one GET and decodes a 200 answer into v; any other answer becomes an *Error.
func (c *Client) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnreachable, httpx.RedactURLError(err))
	}
	defer resp.Body.Close()
	limit := RateLimitFrom(resp.Header)
	if limit.Known && c.observe != nil {
		c.observe(limit)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fmt.Errorf("%w: reading the answer: %w", ErrUnreachable, err)
	}
	if len(body) > maxBody {
		return fmt.Errorf("%w: answer larger than %d bytes", ErrMalformed, maxBody)
	}
	if resp.StatusCode != http.StatusOK {
		return newError(resp, body, limit)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %s", ErrMalformed, decodeProblem(err))
	}
	return nil
}

// decodeProblem says where a JSON answer went wrong without quoting it: encoding/json's messages repeat the
// offending value, and an answer can carry anything.
func decodeProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q holds the wrong kind of value", typ.Field)
	}
	return "the answer is not the expected JSON"
}
