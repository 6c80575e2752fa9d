package fitbit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Dates before 1900 or after 2199 are typing errors or garbage, whatever the format.
const minExportYear, maxExportYear = 1900, 2199

// untimed is the time Fitbit gives a weigh-in logged without one (the last second of the day), so that an
// imported untimed record lines up with the same record fetched from the Web API.
const untimed = "23:59:59"

func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

func absent(raw json.RawMessage) bool { return raw == nil || string(raw) == "null" }

// logID reads a logId exactly (as a float64 it would lose digits past 2^53), written as a number or a string;
// 0 when it is absent or null.
func logID(raw json.RawMessage) (int64, error) {
	if absent(raw) {
		return 0, nil
	}
	n, err := numberText("logId", raw)
	if err != nil || n == "" {
		return 0, err
	}
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(n, 64) // 1.659948335e12
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return 0, fmt.Errorf("logId %s is not a record number", clip(n))
		}
		id = int64(f)
	}
	if id < 0 {
		return 0, fmt.Errorf("logId %d is negative", id)
	}
	return id, nil
}

// stringField returns a string field, "" when it is absent or null.
func stringField(name string, raw json.RawMessage) (string, error) {
	if absent(raw) {
		return "", nil
	}
	if len(raw) < 2 || raw[0] != '"' {
		return "", fmt.Errorf("%s is not a string", name)
	}
	if plain(raw[1 : len(raw)-1]) {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", name)
	}
	return s, nil
}

// plain reports whether a JSON string's content is printable ASCII without escapes, so it is its own value.
func plain(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

// numberText returns the text of a number written as a JSON number or as a string (the Web API's time series
// and the height files quote their values); "" for an empty string.
func numberText(name string, raw json.RawMessage) (string, error) {
	if raw[0] != '"' {
		return string(raw), nil // the outer decode checked it is JSON: a number, or a kind ParseFloat refuses
	}
	s, err := stringField(name, raw)
	return strings.TrimSpace(s), err
}

// numberField reads a number written as a JSON number or a numeric string. ok is false when the field is
// absent, null or "".
func numberField(name string, raw json.RawMessage) (v float64, ok bool, err error) {
	if absent(raw) {
		return 0, false, nil
	}
	n, err := numberText(name, raw)
	if err != nil || n == "" {
		return 0, false, err
	}
	v, err = strconv.ParseFloat(n, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		if raw[0] != '"' && !isJSONNumber(n) {
			return 0, false, fmt.Errorf("%s is not a number", name)
		}
		return 0, false, fmt.Errorf("%s %s is not a number", name, clip(n))
	}
	return v, true, nil
}

func isJSONNumber(s string) bool {
	return s != "" && (s[0] == '-' || '0' <= s[0] && s[0] <= '9')
}

// optionalField reads BMI or fat. 0 means "not measured" (nothing has a body fat or BMI of 0), so it gives nil.
func optionalField(name string, raw json.RawMessage, limit float64) (*float64, error) {
	v, ok, err := numberField(name, raw)
	if err != nil || !ok || v == 0 {
		return nil, err
	}
	if v < 0 || v >= limit {
		return nil, fmt.Errorf("%s %v is out of range", name, v)
	}
	return &v, nil
}

func dateField(name string, raw json.RawMessage) (string, error) {
	s, err := stringField(name, raw)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", fmt.Errorf("no %s", name)
	}
	// Height files write "MM/DD/YY HH:MM:SS"; the time of a height reading is of no use, but must be sane.
	d, t, hasTime := strings.Cut(strings.TrimSpace(s), " ")
	if !hasTime {
		d, t, hasTime = strings.Cut(d, "T")
	}
	date, err := parseExportDate(d)
	if err == nil && hasTime {
		_, err = parseExportTime(t)
	}
	if err != nil {
		return "", fmt.Errorf("%s %s is not a real date", name, clip(s))
	}
	return date, nil
}

func timeField(name string, raw json.RawMessage) (string, error) {
	s, err := stringField(name, raw)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(s) == "" {
		return untimed, nil
	}
	t, err := parseExportTime(s)
	if err != nil {
		return "", fmt.Errorf("%s %s is not a time of day", name, clip(s))
	}
	return t, nil
}

// parseExportDate reads MM/DD/YY (the export's own form), MM/DD/YYYY or YYYY-MM-DD and rejects dates that do
// not exist (02/30/22). A two-digit year is 20YY: Fitbit launched in 2008, so no export has an earlier weigh-in
// in that form (time.Parse would put 69-99 in the 1900s).
func parseExportDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	layout := "2006-01-02"
	if strings.Contains(s, "/") {
		layout = "1/2/2006"
		if i := strings.LastIndexByte(s, '/'); len(s)-i-1 == 2 {
			s = s[:i+1] + "20" + s[i+1:]
		}
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return "", err
	}
	if y := t.Year(); y < minExportYear || y > maxExportYear {
		return "", fmt.Errorf("year %d is out of range", y)
	}
	return t.Format(DateLayout), nil
}

// parseExportTime reads HH:MM:SS or HH:MM, as a wall-clock time of day.
func parseExportTime(s string) (string, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse("15:04:05", s)
	if err != nil {
		t, err = time.Parse("15:04", s)
	}
	if err != nil {
		return "", err
	}
	return t.Format("15:04:05"), nil
}
