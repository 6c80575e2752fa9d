package bodycsv

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bodystats/bodystats/internal/body"
)

// digits reads a non-empty run of ASCII digits, at most 9 so it cannot overflow.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// parseNumber reads a plain decimal number: sign, digits, fraction, exponent. strconv alone would also take
// hex, underscores, "NaN" and "Inf". With decimalComma, "82,4" is 82.4.
func parseNumber(s string, decimalComma bool) (float64, error) {
	if decimalComma && strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if !isDecimal(s) {
		return 0, errors.New("not a number")
	}
	return strconv.ParseFloat(s, 64)
}

func isDecimal(s string) bool {
	i, n := 0, 0
	skipDigits := func() {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
	}
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	skipDigits()
	if i < len(s) && s[i] == '.' {
		i++
		skipDigits()
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		n = 0
		skipDigits()
		if n == 0 {
			return false
		}
	}
	return i == len(s)
}

// splitUnit splits "82.4 kg" or "181lbs" into the number and its unit; a bare number has no unit.
func splitUnit(s string) (string, body.Unit, error) {
	j := len(s)
	for j > 0 && (s[j-1] >= 'a' && s[j-1] <= 'z' || s[j-1] >= 'A' && s[j-1] <= 'Z') {
		j--
	}
	if j == len(s) || j == 0 {
		return s, "", nil // no unit, or no number: parseNumber says so
	}
	u, err := body.ParseUnit(s[j:])
	if err != nil {
		return "", "", fmt.Errorf("weight %s has an unknown unit (use kg, lb or st)", quote(s))
	}
	return strings.TrimSpace(s[:j]), u, nil
}

// quote quotes at most 40 characters of s, so a message never carries much of a row.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	return strconv.Quote(s)
}
