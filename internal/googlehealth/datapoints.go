package googlehealth

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// MaxPageSize is the most data points one list request may ask for; the API refuses more with a 400.
const MaxPageSize = 10000

// Sample is one weight or body-fat reading.
type Sample struct {
	ID     string          // the data point's name, e.g. users/4815162342/dataTypes/weight/dataPoints/1700000000000
	Time   time.Time       // physical time, in UTC
	Offset time.Duration   // the user's UTC offset at that time
	Date   string          // local civil date YYYY-MM-DD (from civilTime, or from Time+Offset when civilTime is absent)
	Clock  string          // local civil time HH:MM:SS
	Value  float64         // weight in kg (weightGrams / 1000, not rounded) or body fat in percent
	Source string          // where it came from, as pages show it: "Aria Air", "Health Connect · Withings", "manual"
	Method provider.Method // how it was taken: what the merge ranks twins by
}

// Page is one page of samples. NextPageToken is "" on the last page.
type Page struct {
	Samples       []Sample
	Skipped       int // points left out: no value, or an impossible one
	NextPageToken string
}

// dataType is what differs between the weight and body-fat collections.
type dataType struct {
	name    string // for error messages
	path    string // collection path
	filter  string // field prefix in AIP-160 filters (underscore, unlike the path's hyphen)
	bodyFat bool
}

var (
	weightType  = dataType{name: "weights", path: "/v4/users/me/dataTypes/weight/dataPoints", filter: "weight"}
	bodyFatType = dataType{name: "body fat", path: "/v4/users/me/dataTypes/body-fat/dataPoints", filter: "body_fat", bodyFat: true}
)

// Weights lists weight samples with physical time in [from, to) (either may be zero: unbounded), one page.
// pageSize is 1..MaxPageSize, or 0 for MaxPageSize (the fewest requests); pageToken is "" for the first page
// and the previous page's NextPageToken after that. Scope health_metrics_and_measurements.readonly.
func (c *Client) Weights(ctx context.Context, from, to time.Time, pageSize int, pageToken string) (Page, error) {
	return c.list(ctx, weightType, from, to, pageSize, pageToken)
}

// BodyFat lists body-fat samples like Weights. A scale's body-fat reading has the same physical time as its weight.
func (c *Client) BodyFat(ctx context.Context, from, to time.Time, pageSize int, pageToken string) (Page, error) {
	return c.list(ctx, bodyFatType, from, to, pageSize, pageToken)
}

func (c *Client) list(ctx context.Context, dt dataType, from, to time.Time, pageSize int, pageToken string) (Page, error) {
	query, err := listQuery(dt, from, to, pageSize, pageToken)
	if err != nil {
		return Page{}, fmt.Errorf("googlehealth: %s: %w", dt.name, err)
	}
	body, err := c.fetch(ctx, dt.path+"?"+query)
	if err != nil {
		return Page{}, fmt.Errorf("googlehealth: %s: %w", dt.name, err)
	}
	page, err := decodePage(dt, body)
	if err != nil {
		return Page{}, fmt.Errorf("googlehealth: %s: %w", dt.name, err)
	}
	// A server that hands back the token it was given would keep a paging loop going for ever.
	if pageToken != "" && page.NextPageToken == pageToken {
		return Page{}, fmt.Errorf("googlehealth: %s: %w: next page token repeats the current one", dt.name, ErrMalformed)
	}
	return page, nil
}

// listQuery builds the query string of a list request. The caller's mistakes are refused here, before any request.
func listQuery(dt dataType, from, to time.Time, pageSize int, pageToken string) (string, error) {
	if pageSize < 0 || pageSize > MaxPageSize {
		return "", fmt.Errorf("page size %d is outside 1..%d", pageSize, MaxPageSize)
	}
	if pageSize == 0 {
		pageSize = MaxPageSize
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return "", fmt.Errorf("empty range %s..%s", formatFilterTime(from), formatFilterTime(to))
	}
	q := url.Values{}
	q.Set("pageSize", fmt.Sprint(pageSize))
	if pageToken != "" {
		q.Set("pageToken", pageToken)
	}
	if f := filter(dt, from, to); f != "" {
		q.Set("filter", f)
	}
	return q.Encode(), nil
}

// filter writes the AIP-160 filter for physical time in [from, to), e.g.
// weight.sample_time.physical_time >= "2026-01-01T00:00:00Z" AND weight.sample_time.physical_time < "2026-02-01T00:00:00Z".
func filter(dt dataType, from, to time.Time) string {
	field := dt.filter + ".sample_time.physical_time"
	var f string
	if !from.IsZero() {
		f = field + ` >= "` + formatFilterTime(from) + `"`
	}
	if !to.IsZero() {
		if f != "" {
			f += " AND "
		}
		f += field + ` < "` + formatFilterTime(to) + `"`
	}
	return f
}

// formatFilterTime writes t in UTC as RFC 3339 with a Z. Fractional seconds appear only when t has them, so
// whole-second bounds read exactly as in Google's examples and finer bounds are not silently moved.
func formatFilterTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
