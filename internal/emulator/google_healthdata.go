package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	defaultPageSize = 1440
	maxPageSize     = 10000
)

// filterPrefix is the data type as filters spell it: the path has a hyphen, the filter an underscore.
var filterPrefix = map[string]string{"weight": "weight", "body-fat": "body_fat", "height": "height"}

// The JSON of a data point follows the v4 REST reference; like every proto3 JSON answer it leaves out
// zero-valued numbers (a weigh-in at 08:00:00 has a time of {"hours":8}) and empty lists.
type (
	dataPointJSON struct {
		Name       string         `json:"name"`
		DataSource dataSourceJSON `json:"dataSource"`
		Weight     *weightJSON    `json:"weight,omitempty"`
		BodyFat    *bodyFatJSON   `json:"bodyFat,omitempty"`
		Height     *heightJSON    `json:"height,omitempty"`
	}
	dataSourceJSON struct {
		RecordingMethod string      `json:"recordingMethod"`
		Device          *deviceJSON `json:"device,omitempty"`
		Platform        string      `json:"platform"`
	}
	deviceJSON struct {
		DisplayName  string `json:"displayName"`
		FormFactor   string `json:"formFactor"`
		Manufacturer string `json:"manufacturer"`
	}
	sampleTimeJSON struct {
		PhysicalTime string            `json:"physicalTime"`
		UTCOffset    string            `json:"utcOffset"`
		CivilTime    civilDateTimeJSON `json:"civilTime"`
	}
	civilDateTimeJSON struct {
		Date googleDate    `json:"date"`
		Time timeOfDayJSON `json:"time"`
	}
	timeOfDayJSON struct {
		Hours   int `json:"hours,omitempty"`
		Minutes int `json:"minutes,omitempty"`
		Seconds int `json:"seconds,omitempty"`
	}
	weightJSON struct {
		SampleTime  sampleTimeJSON `json:"sampleTime"`
		WeightGrams float64        `json:"weightGrams"`
	}
	bodyFatJSON struct {
		SampleTime sampleTimeJSON `json:"sampleTime"`
		Percentage float64        `json:"percentage"`
	}
	heightJSON struct {
		SampleTime        sampleTimeJSON `json:"sampleTime"`
		HeightMillimeters string         `json:"heightMillimeters"` // an int64: proto3 JSON writes it as a string
	}
	dataPointsPage struct {
		DataPoints    []dataPointJSON `json:"dataPoints,omitempty"`
		NextPageToken string          `json:"nextPageToken,omitempty"`
	}
)

// listDataPoints is GET /v4/users/me/dataTypes/{weight|body-fat|height}/dataPoints?filter&pageSize&pageToken,
// newest first. A page token carries a fingerprint of the data type and filter, so it only continues the
// query that issued it (pageSize may change between pages, as AIP-158 allows). A pageSize above 10000 is
// truncated to it, as the discovery document says, not refused.
func (e *Emulator) listDataPoints(q url.Values, dataType string) (any, *googleError) {
	if gerr := checkQuery(q, "filter", "pageSize", "pageToken"); gerr != nil {
		return nil, gerr
	}
	size := defaultPageSize
	if v, ok := q["pageSize"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 0 || n > math.MaxInt32 {
			return nil, errInvalidArgument("page_size must be a non-negative 32-bit integer.")
		}
		if n > 0 {
			size = n
		}
	}
	e.mu.Lock()
	size, gen := min(size, e.gstate.maxPage), e.gstate.tokenGen
	e.mu.Unlock()
	lo, hi, err := parseFilter(q.Get("filter"), filterPrefix[dataType])
	if err != "" {
		return nil, errInvalidArgument("Invalid filter: " + err)
	}
	fp := queryFingerprint(dataType, lo, hi) + "." + strconv.Itoa(gen)
	points := e.dataPoints(dataType, lo, hi)
	if dataType == "height" {
		points = e.heightPoints(lo, hi)
	}
	offset := 0
	if tok := q.Get("pageToken"); tok != "" {
		n, ok := decodePageToken(tok, fp)
		if !ok || n > len(points) {
			return nil, errInvalidArgument("Invalid page token.")
		}
		offset = n
	}
	end := min(offset+size, len(points))
	page := dataPointsPage{DataPoints: points[offset:end]}
	if end < len(points) {
		page.NextPageToken = encodePageToken(fp, end)
	}
	return page, nil
}

// dataPoints converts the history, newest first: physicalTime is the weigh-in's London wall clock as an
// instant, utcOffset the zone's offset then, civilTime the wall clock itself. Ids are the Fitbit logIds.
func (e *Emulator) dataPoints(dataType string, lo, hi *time.Time) []dataPointJSON {
	var out []dataPointJSON
	for i := len(e.logs) - 1; i >= 0; i-- {
		l := e.logs[i]
		if dataType == "body-fat" && !l.HasFat {
			continue
		}
		at, err := time.ParseInLocation(dateLayout+" 15:04:05", l.Date+" "+l.Time, e.loc)
		if err != nil || (lo != nil && at.Before(*lo)) || (hi != nil && !at.Before(*hi)) {
			continue
		}
		st := sampleTime(at)
		p := dataPointJSON{
			Name:       "users/" + e.google.HealthUserID + "/dataTypes/" + dataType + "/dataPoints/" + strconv.FormatInt(l.LogID, 10),
			DataSource: dataSourceJSON{RecordingMethod: "MANUAL", Platform: "FITBIT"},
		}
		if l.Source == "Aria" {
			p.DataSource.RecordingMethod = "ACTIVELY_MEASURED"
			p.DataSource.Device = &deviceJSON{DisplayName: "Aria Air", FormFactor: "SCALE", Manufacturer: "Fitbit"}
		}
		if dataType == "weight" {
			p.Weight = &weightJSON{SampleTime: st, WeightGrams: math.Round(l.WeightKg * 1000)}
		} else {
			p.BodyFat = &bodyFatJSON{SampleTime: st, Percentage: l.FatPct}
		}
		out = append(out, p)
	}
	return out
}

// sampleTime is the ObservationSampleTime of a moment in the user's zone.
func sampleTime(at time.Time) sampleTimeJSON {
	_, offset := at.Zone()
	return sampleTimeJSON{
		PhysicalTime: at.UTC().Format(time.RFC3339),
		UTCOffset:    strconv.Itoa(offset) + "s",
		CivilTime: civilDateTimeJSON{
			Date: googleDate{at.Year(), int(at.Month()), at.Day()},
			Time: timeOfDayJSON{at.Hour(), at.Minute(), at.Second()},
		},
	}
}

// parseFilter reads the documented AIP-160 subset: one or two comparisons of
// <prefix>.sample_time.physical_time with >= (inclusive) or < (exclusive) against a quoted RFC 3339
// timestamp, joined by AND. An empty filter has no bounds. The error is a sentence for the 400 answer.
func parseFilter(filter, prefix string) (lo, hi *time.Time, errMsg string) {
	toks, errMsg := tokenizeFilter(filter)
	if errMsg != "" {
		return nil, nil, errMsg
	}
	field := prefix + ".sample_time.physical_time"
	for i := 0; i < len(toks); i += 4 {
		if i > 0 && toks[i-1] != "AND" {
			return nil, nil, "comparisons must be joined by AND."
		}
		if len(toks) < i+3 {
			return nil, nil, "expected " + field + " followed by >= or < and a quoted timestamp."
		}
		if toks[i] != field {
			return nil, nil, "the only field supported is " + field + "."
		}
		v, ok := strings.CutPrefix(toks[i+2], `"`)
		if !ok {
			return nil, nil, "timestamps must be quoted RFC 3339 strings."
		}
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSuffix(v, `"`))
		if err != nil {
			return nil, nil, "timestamps must be quoted RFC 3339 strings."
		}
		switch {
		case toks[i+1] == ">=" && lo == nil:
			lo = &t
		case toks[i+1] == "<" && hi == nil:
			hi = &t
		case toks[i+1] == ">=" || toks[i+1] == "<":
			return nil, nil, "each bound may be given once."
		default:
			return nil, nil, "the only operators supported are >= and <."
		}
		if len(toks) == i+4 && toks[i+3] == "AND" {
			return nil, nil, "the filter ends after AND."
		}
	}
	return lo, hi, ""
}

// tokenizeFilter splits a filter into names, operators, quoted strings (kept with their quotes) and AND.
func tokenizeFilter(s string) ([]string, string) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, "unterminated string."
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		case strings.IndexByte("<>=!", c) >= 0:
			j := i + 1
			for j < len(s) && strings.IndexByte("<>=!", s[j]) >= 0 {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		case c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == '.' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			return nil, "unexpected character " + strconv.QuoteRune(rune(c)) + "."
		}
	}
	return toks, ""
}

// queryFingerprint names a query by its data type and parsed bounds, so spacing in the filter does not matter.
func queryFingerprint(dataType string, lo, hi *time.Time) string {
	bound := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return strconv.FormatInt(t.UnixNano(), 10)
	}
	sum := sha256.Sum256([]byte(dataType + "|" + bound(lo) + "|" + bound(hi)))
	return hex.EncodeToString(sum[:8])
}

func encodePageToken(fingerprint string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("v1|" + fingerprint + "|" + strconv.Itoa(offset)))
}

func decodePageToken(tok, fingerprint string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] != "v1" || parts[1] != fingerprint {
		return 0, false
	}
	n, err := strconv.Atoi(parts[2])
	return n, err == nil && n > 0
}
