package googlehealth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The heights the sync believes: the API stores [0, 3000] mm, and below half a metre a height is a typing
// slip, not a person's (0 is no height at all).
const (
	minHeightMm = 500
	maxHeightMm = 3000
)

// HeightPageSize is how many height data points the sync asks for: the newest usable one is what counts, and a
// few more let it step over broken ones.
const HeightPageSize = 25

var heightType = dataType{name: "height", path: "/v4/users/me/dataTypes/height/dataPoints", filter: "height"}

// Height is one height measurement.
type Height struct {
	ID     string
	Time   time.Time // physical time, UTC
	Cm     float64
	Source string
}

// HeightPage is one page of heights, newest first, and the points left out because they could not be read.
type HeightPage struct {
	Heights       []Height
	Skipped       int
	NextPageToken string
}

// wireHeight is Height: heightMillimeters is an int64, which proto3 JSON writes as a string (a number is accepted
// too, as Google's parsers do).
type wireHeight struct {
	SampleTime        *wireSampleTime `json:"sampleTime"`
	HeightMillimeters *wireInt64      `json:"heightMillimeters"`
}

type wireInt64 struct{ raw []byte }

func (w *wireInt64) UnmarshalJSON(b []byte) error { w.raw = bytes.Clone(b); return nil }

// value reads the int64 from its string or number form.
func (w *wireInt64) value() (int64, error) {
	s := string(w.raw)
	if strings.HasPrefix(s, `"`) && json.Unmarshal(w.raw, &s) != nil {
		return 0, errors.New("heightMillimeters is not a JSON string")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errors.New("heightMillimeters is not an integer")
	}
	return n, nil
}

// Heights lists height data points, newest first (the API's order), one page. A point that cannot be read is
// skipped and counted: a height is a setting for BMI, not a weigh-in, so the newest readable one serves.
func (c *Client) Heights(ctx context.Context, pageSize int, pageToken string) (HeightPage, error) {
	query, err := listQuery(heightType, time.Time{}, time.Time{}, pageSize, pageToken)
	if err != nil {
		return HeightPage{}, fmt.Errorf("googlehealth: height: %w", err)
	}
	body, err := c.fetch(ctx, heightType.path+"?"+query)
	if err != nil {
		return HeightPage{}, fmt.Errorf("googlehealth: height: %w", err)
	}
	page, err := decodeHeights(body)
	if err != nil {
		return HeightPage{}, fmt.Errorf("googlehealth: height: %w", err)
	}
	return page, nil
}

// decodeHeights reads a 200 answer of the height collection.
func decodeHeights(body []byte) (HeightPage, error) {
	var wp struct {
		DataPoints []struct {
			Name       string      `json:"name"`
			DataSource *wireSource `json:"dataSource"`
			Height     *wireHeight `json:"height"`
		} `json:"dataPoints"`
		NextPageToken string `json:"nextPageToken"`
	}
	if err := decodeObject(body, &wp); err != nil {
		return HeightPage{}, err
	}
	page := HeightPage{NextPageToken: wp.NextPageToken}
	for _, p := range wp.DataPoints {
		h, err := decodeHeight(p.Height)
		if err != nil {
			page.Skipped++
			continue
		}
		h.ID = p.Name
		h.Source, _ = origin(p.DataSource)
		page.Heights = append(page.Heights, h)
	}
	return page, nil
}

func decodeHeight(w *wireHeight) (Height, error) {
	if w == nil {
		return Height{}, errors.New("no height object")
	}
	if w.SampleTime == nil || w.SampleTime.PhysicalTime == "" {
		return Height{}, errors.New("no sampleTime.physicalTime")
	}
	t, err := time.Parse(time.RFC3339Nano, w.SampleTime.PhysicalTime)
	if err != nil {
		return Height{}, errors.New("unparsable physicalTime")
	}
	if w.HeightMillimeters == nil {
		return Height{}, errors.New("no heightMillimeters")
	}
	mm, err := w.HeightMillimeters.value()
	if err != nil {
		return Height{}, err
	}
	if mm < minHeightMm || mm > maxHeightMm {
		return Height{}, fmt.Errorf("heightMillimeters %d outside %d..%d", mm, minHeightMm, maxHeightMm)
	}
	return Height{Time: t.UTC(), Cm: float64(mm) / 10}, nil
}
