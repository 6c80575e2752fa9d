package fitbit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Bounds on what a record may hold. The unit is unknown here (pounds, kilograms, perhaps stone), so the
// weight bounds hold in all of them: no weigh-in is under 1 and no person has weighed 1500 lb.
const (
	minExportWeight = 1
	maxExportWeight = 1500
	maxExportBMI    = 250
	maxExportHeight = 10000 // millimetres; anything larger is not a height
	maxSourceLen    = 64
	reasonsShown    = 3 // per file problem; the count covers the rest
)

var utf8BOM = []byte("\xef\xbb\xbf")

// parseWeightFile reads one weight file: a JSON array of records (an object {"weight":[...]}, as the Web API
// answers, is accepted too). A file that is not such JSON yields no logs and an ErrExportFile problem; bad
// records are skipped and summed up in one ErrExportRecords problem.
func parseWeightFile(data []byte) ([]ExportLog, error) {
	// Fast path: a well-formed file decodes in one pass. Anything odd (a record that is not an object, the API's
	// {"weight":[...]} shape) takes the careful path below, which reports each bad record.
	var typed []weightRecord
	if err := json.Unmarshal(bytes.TrimPrefix(data, utf8BOM), &typed); err == nil && !slices.ContainsFunc(typed, blank) {
		logs := make([]ExportLog, 0, len(typed))
		var bad badRecords
		for i, r := range typed {
			l, err := weightFromRecord(r)
			if err != nil {
				bad.add(i, err)
				continue
			}
			logs = append(logs, l)
		}
		return logs, bad.err(len(typed))
	}
	recs, err := records(data, "weight")
	if err != nil {
		return nil, err
	}
	var logs []ExportLog
	var bad badRecords
	for i, raw := range recs {
		l, err := parseWeightRecord(raw)
		if err != nil {
			bad.add(i, err)
			continue
		}
		logs = append(logs, l)
	}
	return logs, bad.err(len(recs))
}

// parseHeightFile reads one height file: [{"dateTime":"MM/DD/YY HH:MM:SS","value":"1778"}], value in millimetres.
func parseHeightFile(data []byte) ([]ExportHeight, error) {
	recs, err := records(data, "height")
	if err != nil {
		return nil, err
	}
	var hs []ExportHeight
	var bad badRecords
	for i, raw := range recs {
		h, err := parseHeightRecord(raw)
		if err != nil {
			bad.add(i, err)
			continue
		}
		hs = append(hs, h)
	}
	return hs, bad.err(len(recs))
}

// records splits a file into its raw records. Its errors are short and quote nothing of the file: the
// decoder's own messages can name types and values.
func records(data []byte, key string) ([]json.RawMessage, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	var recs []json.RawMessage
	err := json.Unmarshal(data, &recs)
	if err == nil {
		return recs, nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) == nil {
		if inner, ok := obj[key]; ok && json.Unmarshal(inner, &recs) == nil {
			return recs, nil
		}
		return nil, fmt.Errorf("%w: it holds no list of %s records", ErrExportFile, key)
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return nil, fmt.Errorf("%w: malformed JSON at byte %d", ErrExportFile, syn.Offset)
	}
	return nil, fmt.Errorf("%w: it is not a JSON list of %s records", ErrExportFile, key)
}

// weightRecord and heightRecord hold a record's fields undecoded, so each can be read leniently and reported
// in words of our own (nil when absent).
type weightRecord struct {
	LogID  json.RawMessage `json:"logId"`
	Weight json.RawMessage `json:"weight"`
	BMI    json.RawMessage `json:"bmi"`
	Fat    json.RawMessage `json:"fat"`
	Date   json.RawMessage `json:"date"`
	Time   json.RawMessage `json:"time"`
	Source json.RawMessage `json:"source"`
}

// blank reports a record with no field at all: a null entry, which the careful path names as such.
func blank(r weightRecord) bool {
	return r.LogID == nil && r.Weight == nil && r.BMI == nil && r.Fat == nil && r.Date == nil && r.Time == nil && r.Source == nil
}

type heightRecord struct {
	DateTime json.RawMessage `json:"dateTime"`
	Value    json.RawMessage `json:"value"`
}

func parseWeightRecord(raw json.RawMessage) (ExportLog, error) {
	var r weightRecord
	if !isObject(raw) || json.Unmarshal(raw, &r) != nil {
		return ExportLog{}, errors.New("not an object")
	}
	return weightFromRecord(r)
}

// weightFromRecord reads and checks a record's fields.
func weightFromRecord(r weightRecord) (ExportLog, error) {
	var l ExportLog
	var err error
	if l.Date, err = dateField("date", r.Date); err != nil {
		return l, err
	}
	if l.Time, err = timeField("time", r.Time); err != nil {
		return l, err
	}
	w, ok, err := numberField("weight", r.Weight)
	switch {
	case err != nil:
		return l, err
	case !ok:
		return l, errors.New("no weight")
	case w < minExportWeight || w > maxExportWeight:
		return l, fmt.Errorf("weight %v is out of range", w)
	}
	l.Weight = w
	if l.BMI, err = optionalField("bmi", r.BMI, maxExportBMI); err != nil {
		return l, err
	}
	if l.Fat, err = optionalField("fat", r.Fat, 100); err != nil {
		return l, err
	}
	if l.LogID, err = logID(r.LogID); err != nil {
		return l, err
	}
	if l.Source, err = stringField("source", r.Source); err != nil {
		return l, err
	}
	if len(l.Source) > maxSourceLen {
		return l, errors.New("source is too long")
	}
	return l, nil
}

func parseHeightRecord(raw json.RawMessage) (ExportHeight, error) {
	var r heightRecord
	if !isObject(raw) || json.Unmarshal(raw, &r) != nil {
		return ExportHeight{}, errors.New("not an object")
	}
	var h ExportHeight
	var err error
	if h.Date, err = dateField("dateTime", r.DateTime); err != nil {
		return h, err
	}
	v, ok, err := numberField("value", r.Value)
	switch {
	case err != nil:
		return h, err
	case !ok:
		return h, errors.New("no value")
	case v <= 0 || v > maxExportHeight:
		return h, fmt.Errorf("height %v is out of range", v)
	}
	h.Value = v
	return h, nil
}

// badRecords gathers the records of one file that were skipped.
type badRecords struct {
	n       int
	reasons []string
}

func (b *badRecords) add(i int, err error) {
	b.n++
	if len(b.reasons) < reasonsShown {
		b.reasons = append(b.reasons, fmt.Sprintf("record %d: %v", i+1, err))
	}
}

// err sums the skipped records up in one sentence: how many, and why for the first few (records count from 1).
func (b *badRecords) err(total int) error {
	if b.n == 0 {
		return nil
	}
	more := ""
	if b.n > len(b.reasons) {
		more = fmt.Sprintf("; %d more", b.n-len(b.reasons))
	}
	return fmt.Errorf("%w: %d of %d (%s%s)", ErrExportRecords, b.n, total, strings.Join(b.reasons, "; "), more)
}
