package withings

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bodystats/bodystats/internal/httpx"
)

// Meastypes: weight, height, fat-free mass, fat ratio, fat mass.
const (
	TypeWeight   = 1
	TypeHeight   = 4
	TypeFFM      = 5
	TypeFatRatio = 6
	TypeFatMass  = 8
)

// bodyTypes is what every history request asks for.
var bodyTypes = []int{TypeWeight, TypeHeight, TypeFFM, TypeFatRatio, TypeFatMass}

// Client calls the measure service with an HTTP client that authorises as the account (the Bearer header).
type Client struct {
	hc     *http.Client
	apiURL string
}

// NewClient returns a client of the API at apiURL.
func NewClient(hc *http.Client, apiURL string) *Client {
	return &Client{hc: hc, apiURL: strings.TrimRight(apiURL, "/")}
}

// MeasQuery is one getmeas request: category 1 (real measures), the types, and either lastupdate or none.
type MeasQuery struct {
	Types      []int
	LastUpdate int64 // unix seconds; 0: the whole history
	Offset     int64 // the previous page's offset when it said more
}

// Page is one getmeas answer.
type Page struct {
	UpdateTime int64
	TimeZone   string
	Groups     []Group
	More       bool
	Offset     int64
}

// Group is one measure group as Withings lists it.
type Group struct {
	GrpID    flexInt         `json:"grpid"`
	Attrib   flexInt         `json:"attrib"`
	Date     flexInt         `json:"date"`
	Created  flexInt         `json:"created"`
	Modified flexInt         `json:"modified"`
	Category flexInt         `json:"category"`
	DeviceID *string         `json:"deviceid"`
	Model    json.RawMessage `json:"model"` // a name, null for manual entries, an integer in some answers
	Measures []Measure       `json:"measures"`
}

// Measure is one value of a group: Value × 10^Unit.
type Measure struct {
	Value flexInt `json:"value"`
	Type  flexInt `json:"type"`
	Unit  flexInt `json:"unit"`
}

type pageBody struct {
	UpdateTime  flexInt `json:"updatetime"`
	TimeZone    string  `json:"timezone"`
	MeasureGrps []Group `json:"measuregrps"`
	More        flexInt `json:"more"`
	Offset      flexInt `json:"offset"`
}

// GetMeas sends GET /measure?action=getmeas. The token travels in the Authorization header only.
func (c *Client) GetMeas(ctx context.Context, q MeasQuery) (Page, error) {
	form := url.Values{"action": {"getmeas"}, "category": {"1"}}
	types := make([]string, len(q.Types))
	for i, t := range q.Types {
		types[i] = strconv.Itoa(t)
	}
	if len(types) == 1 {
		form.Set("meastype", types[0])
	} else if len(types) > 1 {
		form.Set("meastypes", strings.Join(types, ","))
	}
	if q.LastUpdate > 0 {
		form.Set("lastupdate", strconv.FormatInt(q.LastUpdate, 10))
	}
	if q.Offset > 0 {
		form.Set("offset", strconv.FormatInt(q.Offset, 10))
	}
	// GET with the parameters in the query (never the token), as TrendWeight sends it: a request without a body
	// can be repeated, so the app's token manager retries it once with a refreshed token when Withings says 401.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.apiURL+"/measure?"+form.Encode(), nil)
	if err != nil {
		return Page{}, fmt.Errorf("withings: getmeas: %w", err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Page{}, fmt.Errorf("withings: getmeas: %w", ctx.Err())
		}
		return Page{}, fmt.Errorf("withings: getmeas: %w: %w", ErrUnreachable, httpx.RedactURLError(err))
	}
	raw, _, err := readEnvelope(resp)
	if err != nil {
		return Page{}, fmt.Errorf("withings: getmeas: %w", err)
	}
	return decodePage(raw)
}

// decodePage reads a getmeas body. Missing more and offset mean 0; a page that says more without moving its
// offset forward is malformed (it would loop).
func decodePage(raw []byte) (Page, error) {
	var b pageBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return Page{}, fmt.Errorf("withings: getmeas: %w: %s", ErrMalformed, jsonProblem(err))
	}
	p := Page{UpdateTime: b.UpdateTime.n, TimeZone: b.TimeZone, Groups: b.MeasureGrps, More: b.More.n != 0, Offset: b.Offset.n}
	if p.More && p.Offset <= 0 {
		return Page{}, fmt.Errorf("withings: getmeas: %w: more without an offset", ErrMalformed)
	}
	return p, nil
}

// jsonProblem names what failed to decode without quoting the answer.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.UnmarshalTypeError:
		return "field " + e.Field + " has the wrong type"
	case *json.SyntaxError:
		return "invalid JSON at byte " + strconv.FormatInt(e.Offset, 10)
	}
	return "unreadable body"
}
