package emulator

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	maxLogDays    = 31   // weight and fat logs, inclusive span
	maxSeriesDays = 1095 // body time series, inclusive span
)

var (
	logPeriods    = []string{"1d", "7d", "30d", "1w", "1m"}
	seriesPeriods = []string{"1d", "7d", "30d", "1w", "1m", "3m", "6m", "1y", "max"}
	seriesKey     = map[string]string{"weight": "body-weight", "bmi": "body-bmi", "fat": "body-fat"}
)

type weightLogJSON struct {
	BMI    float64  `json:"bmi"`
	Date   string   `json:"date"`
	Fat    *float64 `json:"fat,omitempty"`
	LogID  int64    `json:"logId"`
	Source string   `json:"source"`
	Time   string   `json:"time"`
	Weight float64  `json:"weight"`
}

type fatLogJSON struct {
	Date   string  `json:"date"`
	Fat    float64 `json:"fat"`
	LogID  int64   `json:"logId"`
	Source string  `json:"source"`
	Time   string  `json:"time"`
}

type seriesPoint struct {
	DateTime string `json:"dateTime"`
	Value    string `json:"value"`
}

// weightLogs is GET /1/user/-/body/log/weight/date/{date}[/{period}|/{end}].json.
func (e *Emulator) weightLogs(args []string, today time.Time, u units) (any, *apiError) {
	start, end, aerr := e.dateRange(args, today, logPeriods, maxLogDays)
	if aerr != nil {
		return nil, aerr
	}
	out := []weightLogJSON{}
	for _, l := range e.logsBetween(start, end) {
		j := weightLogJSON{BMI: l.BMI, Date: l.Date, LogID: l.LogID, Source: l.Source, Time: l.Time, Weight: u.weight(l.WeightKg)}
		if l.HasFat {
			fat := l.FatPct
			j.Fat = &fat
		}
		out = append(out, j)
	}
	return map[string][]weightLogJSON{"weight": out}, nil
}

// fatLogs is GET /1/user/-/body/log/fat/date/{date}[/{period}|/{end}].json: the weigh-ins that measured fat,
// under the same logIds.
func (e *Emulator) fatLogs(args []string, today time.Time) (any, *apiError) {
	start, end, aerr := e.dateRange(args, today, logPeriods, maxLogDays)
	if aerr != nil {
		return nil, aerr
	}
	out := []fatLogJSON{}
	for _, l := range e.logsBetween(start, end) {
		if l.HasFat {
			out = append(out, fatLogJSON{Date: l.Date, Fat: l.FatPct, LogID: l.LogID, Source: l.Source, Time: l.Time})
		}
	}
	return map[string][]fatLogJSON{"fat": out}, nil
}

// timeSeries is GET /1/user/-/body/{weight|bmi|fat}/date/{date}/{period|end}.json: one point per day that
// has a measurement (the day's last), values as strings. Days without one are left out, not carried forward.
func (e *Emulator) timeSeries(resource string, args []string, today time.Time, u units) (any, *apiError) {
	if len(args) != 2 {
		return nil, errNotFound()
	}
	start, end, aerr := e.dateRange(args, today, seriesPeriods, maxSeriesDays)
	if aerr != nil {
		return nil, aerr
	}
	out := []seriesPoint{}
	logs := e.logsBetween(start, end)
	for i := 0; i < len(logs); {
		j := i
		for j < len(logs) && logs[j].Date == logs[i].Date {
			j++
		}
		if v, ok := dailyValue(resource, logs[i:j], u); ok {
			out = append(out, seriesPoint{DateTime: logs[i].Date, Value: strconv.FormatFloat(v, 'f', -1, 64)})
		}
		i = j
	}
	return map[string][]seriesPoint{seriesKey[resource]: out}, nil
}

// dailyValue is the day's last reading of resource among day's weigh-ins (all on one date, in order).
func dailyValue(resource string, day []WeightLog, u units) (float64, bool) {
	for i := len(day) - 1; i >= 0; i-- {
		switch l := day[i]; {
		case resource == "weight":
			return u.weight(l.WeightKg), true
		case resource == "bmi":
			return l.BMI, true
		case resource == "fat" && l.HasFat:
			return l.FatPct, true
		}
	}
	return 0, false
}

// logsBetween returns the weigh-ins dated start..end inclusive; dates compare as YYYY-MM-DD strings.
func (e *Emulator) logsBetween(start, end time.Time) []WeightLog {
	s, t := start.Format(dateLayout), end.Format(dateLayout)
	i := sort.Search(len(e.logs), func(k int) bool { return e.logs[k].Date >= s })
	j := sort.Search(len(e.logs), func(k int) bool { return e.logs[k].Date > t })
	if j < i {
		return nil
	}
	return e.logs[i:j]
}

// dateRange resolves {date}, {date}/{period} or {start}/{end} into an inclusive range of civil dates.
// A period ends on its date; "max" starts on the day the user joined.
func (e *Emulator) dateRange(args []string, today time.Time, periods []string, maxDays int) (start, end time.Time, aerr *apiError) {
	if len(args) == 0 || len(args) > 2 {
		return start, end, errNotFound()
	}
	base, aerr := parseDate(args[0], today, "base-date")
	if aerr != nil || len(args) == 1 {
		return base, base, aerr
	}
	if slices.Contains(seriesPeriods, args[1]) {
		if !slices.Contains(periods, args[1]) {
			return start, end, errValidation("period", fmt.Sprintf(
				"Invalid period %s: this resource supports %s.", args[1], strings.Join(periods, ", ")))
		}
		return e.periodStart(base, args[1]), base, nil
	}
	if _, err := time.Parse(dateLayout, args[1]); err != nil && args[1] != "today" {
		return start, end, errValidation("period", fmt.Sprintf(
			"Invalid period or end date %q: use one of %s or a date as yyyy-MM-dd.", args[1], strings.Join(periods, ", ")))
	}
	end, aerr = parseDate(args[1], today, "end-date")
	if aerr != nil {
		return start, end, aerr
	}
	if end.Before(base) {
		return start, end, errValidation("end-date", "The end date must not be before the start date.")
	}
	if days := int(end.Sub(base).Hours()/24) + 1; days > maxDays {
		return start, end, errValidation("end-date", fmt.Sprintf(
			"The date range is %d days; this resource allows at most %d days.", days, maxDays))
	}
	return base, end, nil
}

func (e *Emulator) periodStart(end time.Time, period string) time.Time {
	switch period {
	case "7d", "1w":
		return end.AddDate(0, 0, -6)
	case "30d":
		return end.AddDate(0, 0, -29)
	case "1m":
		return end.AddDate(0, -1, 1)
	case "3m":
		return end.AddDate(0, -3, 1)
	case "6m":
		return end.AddDate(0, -6, 1)
	case "1y":
		return end.AddDate(-1, 0, 1)
	case "max":
		if since, err := time.Parse(dateLayout, e.user.MemberSince); err == nil && since.Before(end) {
			return since
		}
	}
	return end
}

// parseDate reads yyyy-MM-dd or "today" (the user's today by the protocol clock) as a civil date.
func parseDate(s string, today time.Time, field string) (time.Time, *apiError) {
	if s == "today" {
		return today, nil
	}
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		return d, errValidation(field, fmt.Sprintf("Invalid date %q: use yyyy-MM-dd or today.", s))
	}
	return d, nil
}
