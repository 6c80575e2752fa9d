package ihealth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/httpx"
)

// Client reads one account's weight.json through an *http.Client from SignIn.Client (or package tokens around
// it), which adds the credentials to the query.
type Client struct {
	hc      *http.Client
	baseURL string
	now     func() time.Time
}

// NewClient returns a client for the API at baseURL (the configured host; the account's region is the
// transport's business).
func NewClient(hc *http.Client, baseURL string) *Client {
	baseURL = strings.TrimRight(baseURL, "/")
	if baseURL == "" {
		baseURL = DefaultAPIURL
	}
	return &Client{hc: hc, baseURL: baseURL, now: time.Now}
}

// Shifted is a local wall-clock instant on iHealth's shifted scale: the local clock reading written as Unix
// seconds as if it were UTC, the scale of MDate, start_time and end_time.
func Shifted(localDate time.Time) int64 {
	y, m, d := localDate.Date()
	h, mi, s := localDate.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC).Unix()
}

// Weights asks for one page (page from 1) of the weigh-ins whose MDate lies in [start, end], both on the
// shifted scale. It never follows NextPageUrl: the next page is the same request with page_index+1, on the same
// host, so a NextPageUrl naming another host is never visited.
func (c *Client) Weights(ctx context.Context, userID string, start, end int64, page int) (Page, error) {
	q := url.Values{
		"start_time": {strconv.FormatInt(start, 10)},
		"end_time":   {strconv.FormatInt(end, 10)},
		"page_index": {strconv.Itoa(page)},
		"locale":     {"user"}, // WeightUnit then names the person's own unit
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+WeightPath(userID)+"?"+q.Encode(), nil)
	if err != nil {
		return Page{}, fmt.Errorf("ihealth: weight request: %w", httpx.RedactURLError(err))
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if errors.Is(err, errForeignHost) {
			return Page{}, errForeignHost
		}
		if ctx.Err() != nil {
			return Page{}, ctx.Err()
		}
		// Also what package tokens says when the grant is dead (provider.ErrReconnect), which wins over retrying.
		return Page{}, fmt.Errorf("%w: %w", ErrUnreachable, httpx.RedactURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return Page{}, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	if len(body) > maxBody {
		return Page{}, fmt.Errorf("%w: weight page larger than %d bytes", ErrMalformed, maxBody)
	}
	if e := classify(resp, body, c.now()); e != nil {
		return Page{}, e
	}
	return DecodePage(body)
}
