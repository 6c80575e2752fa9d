package fitbit

import (
	"context"
	"fmt"
	"time"
)

// MaxSeriesRange is the longest span, in days inclusive, of one body time-series request.
const MaxSeriesRange = 1095

// WeightDays returns the days from start to end (inclusive, at most MaxSeriesRange days) on which the body
// weight time series has a value: one request tells which 31-day weight-log windows hold weigh-ins at all.
func (c *Client) WeightDays(ctx context.Context, start, end time.Time) ([]time.Time, error) {
	if days := DaysBetween(start, end) + 1; days < 1 || days > MaxSeriesRange {
		return nil, fmt.Errorf("fitbit: weight series %s: range of %d days is outside 1..%d", rangeName(start, end), days, MaxSeriesRange)
	}
	var body struct {
		Series *[]struct {
			DateTime string `json:"dateTime"`
			Value    string `json:"value"`
		} `json:"body-weight"`
	}
	path := "/1/user/-/body/weight/date/" + FormatDate(start) + "/" + FormatDate(end) + ".json"
	if err := c.get(ctx, path, &body); err != nil {
		return nil, fmt.Errorf("fitbit: weight series %s: %w", rangeName(start, end), err)
	}
	if body.Series == nil {
		return nil, fmt.Errorf("fitbit: weight series %s: %w: no body-weight array", rangeName(start, end), ErrMalformed)
	}
	var days []time.Time
	for _, p := range *body.Series {
		d, err := ParseDate(p.DateTime)
		if err != nil {
			return nil, fmt.Errorf("fitbit: weight series %s: %w: bad date", rangeName(start, end), ErrMalformed)
		}
		// A day reported as "0" has no weigh-in (the series may fill days without one).
		if p.Value != "" && p.Value != "0" && p.Value != "0.0" {
			days = append(days, d)
		}
	}
	return days, nil
}
