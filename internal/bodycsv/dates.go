package bodycsv

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// when is a date cell read: the date (or a slashDate to decide later) and the clock if the cell had one.
type when struct {
	date  string
	slash *slashDate
	clock string
}

// parseWhen reads a date or a datetime: "2024-03-01", "2024-03-01T07:30:00+01:00", "01.03.2024 07:30",
// "3/1/2024 7:30 PM". The clock is kept as written; a zone is dropped.
func parseWhen(s string) (when, error) {
	if s == "" {
		return when{}, errors.New("date is empty")
	}
	datePart, clockPart := s, ""
	if i := strings.IndexAny(s, "Tt "); i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		datePart, clockPart = s[:i], strings.TrimSpace(s[i+1:])
	}
	var w when
	var err error
	if w.date, w.slash, err = parseDate(datePart); err != nil {
		return when{}, err
	}
	if datePart != s {
		if w.clock, err = parseClock(clockPart); err != nil {
			return when{}, err
		}
	}
	return w, nil
}

// slashDate is NN/NN/YYYY (or NN-NN-YYYY): day first or month first depends on the rest of the file.
type slashDate struct {
	a, b, year int
	text       string
	line       int // of the row, for messages
	index      int // of the row in File.Rows
}

func (s *slashDate) resolve(r *Row, dayFirst bool) error {
	d, m := s.a, s.b
	if !dayFirst {
		d, m = m, d
	}
	date, err := makeDate(s.year, m, d, s.text)
	r.Date = date
	return err
}

// parseDate reads YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD and DD.MM.YYYY (one-digit day and month allowed), and
// returns NN/NN/YYYY and NN-NN-YYYY as a slashDate.
func parseDate(s string) (string, *slashDate, error) {
	bad := func() error { return fmt.Errorf("date %s is not YYYY-MM-DD, YYYY/MM/DD or DD.MM.YYYY", quote(s)) }
	i := strings.IndexAny(s, "-/.")
	if i < 0 {
		return "", nil, bad()
	}
	sep := s[i]
	parts := strings.Split(s, string(sep))
	if len(parts) != 3 {
		return "", nil, bad()
	}
	var n [3]int
	for i, p := range parts {
		v, ok := digits(p)
		if !ok {
			return "", nil, bad()
		}
		n[i] = v
	}
	small := func(p string) bool { return len(p) == 1 || len(p) == 2 }
	switch {
	case len(parts[0]) == 4 && small(parts[1]) && small(parts[2]):
		date, err := makeDate(n[0], n[1], n[2], s)
		return date, nil, err
	case small(parts[0]) && small(parts[1]) && len(parts[2]) == 4 && sep == '.':
		date, err := makeDate(n[2], n[1], n[0], s)
		return date, nil, err
	case small(parts[0]) && small(parts[1]) && len(parts[2]) == 4:
		return "", &slashDate{a: n[0], b: n[1], year: n[2], text: s}, nil
	}
	return "", nil, bad()
}

func makeDate(y, m, d int, text string) (string, error) {
	if m < 1 || m > 12 || d < 1 || d > time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return "", fmt.Errorf("date %s does not exist", quote(text))
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

// slashOrder decides whether slash dates are day first: some first number over 12 says day first, some second
// number over 12 says month first; both, or neither while some date reads two ways, refuses the file.
func slashOrder(dates []*slashDate) (bool, error) {
	var dayFirst, monthFirst, either *slashDate
	for _, s := range dates {
		switch {
		case s.a < 1 || s.b < 1:
		case s.a > 12 && s.b <= 12 && dayFirst == nil:
			dayFirst = s
		case s.b > 12 && s.a <= 12 && monthFirst == nil:
			monthFirst = s
		case s.a <= 12 && s.b <= 12 && s.a != s.b && either == nil:
			either = s
		}
	}
	switch {
	case dayFirst != nil && monthFirst != nil:
		return false, fmt.Errorf("%w: %s (line %d) is day first but %s (line %d) is month first; use YYYY-MM-DD dates",
			ErrAmbiguousDates, quote(dayFirst.text), dayFirst.line, quote(monthFirst.text), monthFirst.line)
	case dayFirst != nil:
		return true, nil
	case monthFirst != nil:
		return false, nil
	case either != nil:
		return false, fmt.Errorf("%w: %s (line %d) could be day/month or month/day and no row tells; use YYYY-MM-DD dates",
			ErrAmbiguousDates, quote(either.text), either.line)
	}
	return true, nil
}

// parseClock reads H:MM, HH:MM:SS, with optional fractional seconds (dropped), AM/PM, and zone (dropped:
// the wall clock is kept as written). It returns HH:MM:SS.
func parseClock(s string) (string, error) {
	bad := func() error { return fmt.Errorf("time %s is not HH:MM or HH:MM:SS", quote(s)) }
	t := s
	half := ""
	if n := len(t); n >= 2 {
		switch strings.ToLower(t[n-2:]) {
		case "am", "pm":
			half, t = strings.ToLower(t[n-2:]), strings.TrimSpace(t[:n-2])
		}
	}
	t = stripZone(t)
	parts := strings.Split(t, ":")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) != 2 {
		return "", bad()
	}
	if len(parts) == 2 {
		parts = append(parts, "00")
	}
	if sec, frac, ok := strings.Cut(parts[2], "."); ok {
		if _, ok := digits(frac); !ok {
			return "", bad()
		}
		parts[2] = sec
	}
	if len(parts[2]) != 2 {
		return "", bad()
	}
	var n [3]int
	for i, p := range parts {
		v, ok := digits(p)
		if !ok {
			return "", bad()
		}
		n[i] = v
	}
	h, m, sec := n[0], n[1], n[2]
	if half != "" {
		if h < 1 || h > 12 {
			return "", bad()
		}
		h %= 12
		if half == "pm" {
			h += 12
		}
	}
	if h > 23 || m > 59 || sec > 59 {
		return "", fmt.Errorf("time %s does not exist", quote(s))
	}
	return fmt.Sprintf("%02d:%02d:%02d", h, m, sec), nil
}

// stripZone drops a trailing "Z", "+01:00", "-0500" or "+01".
func stripZone(t string) string {
	if strings.HasSuffix(t, "Z") || strings.HasSuffix(t, "z") {
		return strings.TrimSpace(t[:len(t)-1])
	}
	i := strings.LastIndexAny(t, "+-")
	if i < 1 {
		return t
	}
	zone := strings.Replace(t[i+1:], ":", "", 1)
	if _, ok := digits(zone); !ok || (len(zone) != 2 && len(zone) != 4) {
		return t
	}
	return strings.TrimSpace(t[:i])
}
