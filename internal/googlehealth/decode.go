package googlehealth

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// maxOffset is the widest UTC offset any time zone rule allows; anything wider is a broken point, not a place.
const maxOffset = 18 * time.Hour

// The wire shapes of a list answer (DataPoint, Weight, BodyFat, ObservationSampleTime, CivilDateTime); DataSource
// is in datasource.go, Height in height.go.
type (
	wirePage struct {
		DataPoints    []wirePoint `json:"dataPoints"`
		NextPageToken string      `json:"nextPageToken"`
	}
	wirePoint struct {
		Name       string       `json:"name"`
		DataSource *wireSource  `json:"dataSource"`
		Weight     *wireReading `json:"weight"`
		BodyFat    *wireReading `json:"bodyFat"`
	}
	wireReading struct {
		SampleTime  *wireSampleTime `json:"sampleTime"`
		WeightGrams *float64        `json:"weightGrams"`
		Percentage  *float64        `json:"percentage"`
	}
	wireSampleTime struct {
		PhysicalTime string     `json:"physicalTime"`
		UTCOffset    *string    `json:"utcOffset"`
		CivilTime    *wireCivil `json:"civilTime"`
	}
	wireCivil struct {
		Date *wireDate `json:"date"`
		Time *struct {
			Hours   int `json:"hours"`
			Minutes int `json:"minutes"`
			Seconds int `json:"seconds"`
		} `json:"time"`
	}
)

// decodePage turns a 200 list answer into a Page. A point whose time or name cannot be read spoils the page (an
// answer Google's schema rules out: better a clear error than a hole). A point whose value is missing or impossible
// (proto3 JSON leaves a weightGrams of 0 out; a body fat of 140%) is skipped and counted: it holds no weigh-in to
// keep, and refusing the page would stop every later sync at it. Errors name the point's index, never its content.
func decodePage(dt dataType, body []byte) (Page, error) {
	var wp wirePage
	if err := decodeObject(body, &wp); err != nil {
		return Page{}, err
	}
	page := Page{Samples: make([]Sample, 0, len(wp.DataPoints)), NextPageToken: wp.NextPageToken}
	for i, p := range wp.DataPoints {
		s, err := decodePoint(dt, p)
		var bad badValue
		if errors.As(err, &bad) {
			page.Skipped++
			continue
		}
		if err != nil {
			return Page{}, fmt.Errorf("%w: data point %d: %w", ErrMalformed, i, err)
		}
		page.Samples = append(page.Samples, s)
	}
	return page, nil
}

func decodePoint(dt dataType, p wirePoint) (Sample, error) {
	r, field := p.Weight, "weight"
	if dt.bodyFat {
		r, field = p.BodyFat, "bodyFat"
	}
	if r == nil {
		return Sample{}, fmt.Errorf("no %s object", field)
	}
	st := r.SampleTime
	if st == nil || st.PhysicalTime == "" {
		return Sample{}, errors.New("no sampleTime.physicalTime")
	}
	t, err := time.Parse(time.RFC3339Nano, st.PhysicalTime)
	if err != nil {
		return Sample{}, errors.New("unparsable physicalTime")
	}
	if st.UTCOffset == nil {
		return Sample{}, errors.New("no utcOffset")
	}
	off, ok := parseDuration(*st.UTCOffset)
	if !ok || off < -maxOffset || off > maxOffset {
		return Sample{}, errors.New("unparsable or impossible utcOffset")
	}
	s := Sample{ID: p.Name, Time: t.UTC(), Offset: off}
	s.Source, s.Method = origin(p.DataSource)

	if c := st.CivilTime; c != nil {
		if c.Date == nil {
			return Sample{}, errors.New("civilTime has no date")
		}
		date, ok := c.Date.format()
		if !ok {
			return Sample{}, errors.New("invalid civilTime date")
		}
		s.Date, s.Clock = date, "00:00:00" // CivilDateTime: an omitted time means midnight
		if ct := c.Time; ct != nil {
			if ct.Hours < 0 || ct.Hours > 23 || ct.Minutes < 0 || ct.Minutes > 59 || ct.Seconds < 0 || ct.Seconds > 59 {
				return Sample{}, errors.New("invalid civilTime time")
			}
			s.Clock = fmt.Sprintf("%02d:%02d:%02d", ct.Hours, ct.Minutes, ct.Seconds)
		}
	} else {
		local := s.Time.Add(off)
		s.Date, s.Clock = local.Format(time.DateOnly), local.Format(time.TimeOnly)
	}

	if dt.bodyFat {
		if r.Percentage == nil {
			return Sample{}, badValue("no percentage")
		}
		s.Value = *r.Percentage
	} else {
		if r.WeightGrams == nil {
			return Sample{}, badValue("no weightGrams")
		}
		s.Value = *r.WeightGrams / 1000
	}
	if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) || (dt.bodyFat && (s.Value < 0 || s.Value > 100)) || (!dt.bodyFat && s.Value <= 0) {
		return Sample{}, badValue("value out of range")
	}
	if err := validSample(dt, s); err != nil {
		return Sample{}, err
	}
	return s, nil
}

// badValue is a point whose value is missing or impossible: decodePage skips it.
type badValue string

func (b badValue) Error() string { return string(b) }

// validSample checks what every Sample the package returns promises; the fuzz test holds decodePage to it.
func validSample(dt dataType, s Sample) error {
	switch {
	case s.ID == "":
		return errors.New("no name")
	case s.Time.IsZero() || s.Time.Location() != time.UTC:
		return errors.New("no physical time")
	case s.Offset < -maxOffset || s.Offset > maxOffset:
		return errors.New("impossible utcOffset")
	case !validDate(s.Date):
		return errors.New("invalid local date")
	case !validClock(s.Clock):
		return errors.New("invalid local time")
	case math.IsNaN(s.Value) || math.IsInf(s.Value, 0):
		return errors.New("value not finite")
	case dt.bodyFat && (s.Value < 0 || s.Value > 100):
		return errors.New("percentage outside 0..100")
	case !dt.bodyFat && s.Value <= 0:
		return errors.New("weightGrams not positive")
	}
	return nil
}

// validDate reports whether s is a real calendar date written YYYY-MM-DD, years 0001..9999.
func validDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Year() >= 1 && t.Format(time.DateOnly) == s
}

// validClock reports whether s is a time of day written HH:MM:SS.
func validClock(s string) bool {
	t, err := time.Parse(time.TimeOnly, s)
	return err == nil && t.Format(time.TimeOnly) == s
}

// parseDuration reads a google.protobuf.Duration in its JSON form: seconds with up to nine fractional digits and
// an "s", e.g. "3600s", "-18000s", "19800.5s". Durations longer than 999999 s are refused, which no offset needs.
func parseDuration(v string) (time.Duration, bool) {
	num, ok := strings.CutSuffix(v, "s")
	if !ok {
		return 0, false
	}
	neg := strings.HasPrefix(num, "-")
	if neg {
		num = num[1:]
	}
	whole, frac, hasFrac := strings.Cut(num, ".")
	if whole == "" || len(whole) > 6 || !digits(whole) || (hasFrac && (frac == "" || len(frac) > 9 || !digits(frac))) {
		return 0, false
	}
	secs, _ := strconv.ParseInt(whole, 10, 64)
	var nanos int64
	if hasFrac {
		nanos, _ = strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
	}
	d := time.Duration(secs)*time.Second + time.Duration(nanos)
	if neg {
		d = -d
	}
	return d, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
