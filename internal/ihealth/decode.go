package ihealth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/provider"
)

// Mass units of WeightUnit, which applies to every mass in the answer (weight, bone, muscle).
const (
	UnitKg    = 0
	UnitLb    = 1
	UnitStone = 2
)

// kgPer is the kilograms in one of each WeightUnit (decimal stone).
var kgPer = map[int]float64{UnitKg: 1, UnitLb: 0.45359237, UnitStone: 6.35029318}

// Page is one weight.json answer.
type Page struct {
	Unit        int
	RecordCount int
	Records     []Record
	Skipped     []Skipped // records that could not be read, with why
	More        bool      // NextPageUrl was not empty
}

// Record is one weigh-in, read: the traps already undone.
type Record struct {
	DataID     string
	Date       string // local YYYY-MM-DD: MDate's wall clock
	Clock      string // local HH:MM:SS
	Zone       string // "+01:00", or "" when TimeZone was empty or not an offset
	WeightKg   float64
	MuscleKg   float64  // MuscaleValue (sic) in kg; 0 not measured. Not stored: kept to show WeightUnit applies to it
	FatPct     *float64 // nil when FatValue was 0 ("not measured")
	BMI        *float64 // nil when BMI was 0
	Manual     bool     // DataSource "Manual"
	LastChange int64    // LastChangeTime, true UTC seconds
}

// Skipped is a record left out of a page, by its DataID, and why. The DataID is kept so that a mirrored window
// does not take a record it could not read for a deletion.
type Skipped struct {
	DataID string
	Reason string
}

// flexNum is a number that iHealth may send as a JSON number, a numeric string, "" or null (0).
type flexNum float64

func (f *flexNum) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*f = 0
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s = strings.TrimSpace(s); s == "" {
			*f = 0
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return errors.New("not a number")
	}
	*f = flexNum(v)
	return nil
}

type rawPage struct {
	WeightDataList []json.RawMessage `json:"WeightDataList"`
	WeightUnit     *flexNum          `json:"WeightUnit"`
	RecordCount    flexNum           `json:"RecordCount"`
	NextPageUrl    string            `json:"NextPageUrl"`
}

type rawRecord struct {
	DataID         string          `json:"DataID"`
	MDate          flexNum         `json:"MDate"`
	TimeZone       json.RawMessage `json:"TimeZone"`
	WeightValue    flexNum         `json:"WeightValue"`
	FatValue       flexNum         `json:"FatValue"`
	BMI            flexNum         `json:"BMI"`
	MuscaleValue   flexNum         `json:"MuscaleValue"` // sic: iHealth's spelling (CARRE's MuscleValue fallback is not needed)
	DataSource     string          `json:"DataSource"`
	LastChangeTime flexNum         `json:"LastChangeTime"`
}

// DecodePage reads a weight.json answer's body. A record that cannot be read is skipped (see Page.Skipped); an
// answer that is not a page at all, or names a unit it does not know, is ErrMalformed.
func DecodePage(body []byte) (Page, error) {
	var raw rawPage
	if err := json.Unmarshal(body, &raw); err != nil {
		return Page{}, fmt.Errorf("%w: weight page is not JSON", ErrMalformed)
	}
	if raw.WeightDataList == nil && raw.WeightUnit == nil {
		return Page{}, fmt.Errorf("%w: weight page has no WeightDataList", ErrMalformed)
	}
	p := Page{RecordCount: int(raw.RecordCount), More: strings.TrimSpace(raw.NextPageUrl) != ""}
	if raw.WeightUnit != nil {
		p.Unit = int(*raw.WeightUnit)
	}
	per, ok := kgPer[p.Unit]
	if !ok || raw.WeightUnit != nil && float64(*raw.WeightUnit) != float64(p.Unit) {
		return Page{}, fmt.Errorf("%w: unknown WeightUnit", ErrMalformed)
	}
	for _, b := range raw.WeightDataList {
		r, err := decodeRecord(b, per)
		if err != nil {
			p.Skipped = append(p.Skipped, Skipped{DataID: r.DataID, Reason: err.Error()})
			continue
		}
		p.Records = append(p.Records, r)
	}
	return p, nil
}

// earliest is before any iHealth scale; a later MDate than a day from now is not a weigh-in either.
var earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func decodeRecord(b []byte, kgPerUnit float64) (Record, error) {
	var raw rawRecord
	if err := json.Unmarshal(b, &raw); err != nil {
		var id struct{ DataID string }
		_ = json.Unmarshal(b, &id)
		return Record{DataID: safeID(id.DataID)}, errors.New("the record is not readable JSON")
	}
	r := Record{DataID: safeID(raw.DataID), Manual: strings.EqualFold(raw.DataSource, "Manual"), LastChange: int64(raw.LastChangeTime)}
	if r.DataID == "" {
		return r, errors.New("the record has no DataID")
	}
	// MDate is the local wall clock written as Unix seconds as if it were UTC: its UTC fields are the local ones.
	local := time.Unix(int64(raw.MDate), 0).UTC()
	if raw.MDate <= 0 || local.Before(earliest) || local.After(time.Now().AddDate(0, 0, 2)) {
		return r, errors.New("the record's MDate is not a date")
	}
	r.Date, r.Clock = local.Format(time.DateOnly), local.Format(time.TimeOnly)
	r.Zone, _ = ParseZone(raw.TimeZone) // an unreadable zone leaves the local time right and the zone unknown
	kg := float64(raw.WeightValue) * kgPerUnit
	if raw.WeightValue == 0 {
		return r, errors.New("the record has no weight")
	}
	if kg < 1 || kg > 650 {
		return r, errors.New("the record's weight is out of range")
	}
	r.WeightKg = kg
	if m := float64(raw.MuscaleValue) * kgPerUnit; m > 0 && m < kg {
		r.MuscleKg = m
	}
	if f := float64(raw.FatValue); f > 0 && f < 80 { // 0: not measured
		r.FatPct = &f
	}
	if v := float64(raw.BMI); v > 0 && v < 200 {
		r.BMI = &v
	}
	return r, nil
}

// ParseZone reads TimeZone in every spelling iHealth uses: "-0800", "+0800", "0800" (no sign), "+01:00", the
// integer hours -8 or 1 (as a number or a string), or empty. It returns the offset as "+01:00"; ok is false
// (and the zone "") for an empty value or one that is no UTC offset, such as "+25:00".
func ParseZone(raw json.RawMessage) (zone string, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	s := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
	}
	mins, ok := offsetMinutes(strings.TrimSpace(s))
	if !ok {
		return "", false
	}
	sign := '+'
	if mins < 0 {
		sign, mins = '-', -mins
	}
	return fmt.Sprintf("%c%02d:%02d", sign, mins/60, mins%60), true
}

// offsetMinutes reads an offset spelling as minutes east of UTC, within ±14:00.
func offsetMinutes(s string) (int, bool) {
	if s == "" || len(s) > 8 {
		return 0, false
	}
	sign := 1
	switch s[0] {
	case '-':
		sign, s = -1, s[1:]
	case '+':
		s = s[1:]
	}
	var h, m int
	var err error
	switch {
	case strings.Contains(s, ":"): // "01:00"
		hh, mm, _ := strings.Cut(s, ":")
		if len(hh) == 0 || len(hh) > 2 || len(mm) != 2 {
			return 0, false
		}
		if h, err = strconv.Atoi(hh); err == nil {
			m, err = strconv.Atoi(mm)
		}
	case strings.Contains(s, "."): // "5.5" hours
		var f float64
		if f, err = strconv.ParseFloat(s, 64); err == nil {
			h, m = int(f), int(math.Round((f-math.Trunc(f))*60))
		}
	case len(s) == 4: // "0800"
		if h, err = strconv.Atoi(s[:2]); err == nil {
			m, err = strconv.Atoi(s[2:])
		}
	case len(s) >= 1 && len(s) <= 2: // whole hours: 8, -8, 1
		h, err = strconv.Atoi(s)
	case len(s) == 3: // "800" or -800: an hhmm integer with its leading zero lost
		if h, err = strconv.Atoi(s[:1]); err == nil {
			m, err = strconv.Atoi(s[1:])
		}
	default:
		return 0, false
	}
	if err != nil || h < 0 || m < 0 || m >= 60 || h*60+m > 14*60 {
		return 0, false
	}
	return sign * (h*60 + m), true
}

// safeID keeps a DataID usable as a row key: iHealth's are 32 hex characters.
func safeID(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 64 {
		return ""
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return ""
		}
	}
	return s
}

// Reading is the record as the syncer stores it.
func (r Record) Reading() provider.Reading {
	out := provider.Reading{
		ExternalID: r.DataID, Date: r.Date, Clock: r.Clock, Zone: r.Zone, WeightKg: r.WeightKg,
		FatPct: r.FatPct, BMI: r.BMI, Device: "iHealth scale", Method: provider.Device,
	}
	if r.Manual {
		out.Device, out.Method = "manual", provider.Manual
	}
	return out
}
