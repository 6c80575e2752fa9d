package formats

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/formats/applehealth"
	"github.com/bodystats/bodystats/internal/formats/csvx"
	"github.com/bodystats/bodystats/internal/formats/garmin"
	"github.com/bodystats/bodystats/internal/formats/googlefit"
	"github.com/bodystats/bodystats/internal/formats/openscale"
	"github.com/bodystats/bodystats/internal/formats/renpho"
	"github.com/bodystats/bodystats/internal/formats/samsung"
	"github.com/bodystats/bodystats/internal/formats/withings"
	"github.com/bodystats/bodystats/internal/formats/zepp"
)

// SniffBytes is how much of a file Sniff wants to see.
const SniffBytes = 64 << 10

// Sniff picks the format of a file from its first bytes (up to SniffBytes; fewer when the file is shorter).
// A zip gives Zip: call SniffZip on it. A file matching nothing gives an error wrapping ErrUnknownFormat whose
// text says what the file looked like.
func Sniff(head []byte) (Format, error) {
	if len(head) > SniffBytes {
		head = head[:SniffBytes]
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return Zip, nil
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	if len(text) == 0 {
		return Format{}, unknown("an empty file")
	}
	switch text[0] {
	case '<':
		if applehealth.Sniff(text) {
			return AppleHealth, nil
		}
		return Format{}, unknown("an XML file starting %s", quote(text))
	case '[', '{':
		switch {
		case googlefit.Sniff(text):
			return GoogleFit, nil
		case garmin.SniffJSON(text):
			return Garmin, nil
		case text[0] == '[' && bytes.Contains(text, []byte(`"logId"`)) && bytes.Contains(text, []byte(`"weight"`)):
			return FitbitExport, nil // one weight-YYYY-MM-DD.json of a Fitbit export
		}
		return Format{}, unknown("a JSON file starting %s", quote(text))
	}
	if binary(head) {
		if bytes.HasPrefix(head, []byte{0x1f, 0x8b}) {
			return Format{}, unknown("a gzip file (unpack it first)")
		}
		return Format{}, unknown("a binary file starting % x", head[:min(len(head), 8)])
	}
	line := csvx.FirstLine(text)
	if samsung.SniffMeta(line) {
		return Samsung, nil
	}
	if header := csvx.SplitLine(line); len(header) > 1 {
		for _, c := range []struct {
			f  Format
			ok func([]string) bool
		}{
			{Withings, withings.Sniff}, {GarminCSV, garmin.SniffCSV}, {Zepp, zepp.Sniff}, {Samsung, samsung.Sniff},
			{Renpho, renpho.Sniff}, {OpenScale, openscale.Sniff},
		} {
			if c.ok(header) {
				return c.f, nil
			}
		}
	}
	switch f, ok := bodycsv.Detect(text); {
	case ok && f == bodycsv.FormatOwn:
		return BodystatsCSV, nil
	case ok:
		return GenericCSV, nil
	}
	return Format{}, unknown("a text file starting %s", quote(text))
}

func unknown(format string, args ...any) error {
	return fmt.Errorf("formats: %s: %w", fmt.Sprintf(format, args...), ErrUnknownFormat)
}

// binary reports whether the first bytes hold a NUL or are not UTF-8.
func binary(b []byte) bool {
	b = b[:min(len(b), 512)]
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 && len(b) >= utf8.UTFMax {
			return true
		}
		b = b[n:]
	}
	return false
}

// quote shows the first characters of a file in a message: at most 40, line ends as spaces, control
// characters and invalid bytes as "?".
func quote(b []byte) string {
	s := string(b[:min(len(b), 160)])
	s = strings.Join(strings.Fields(s), " ")
	var sb strings.Builder
	n := 0
	for _, r := range s {
		if n == 40 {
			sb.WriteString("...")
			break
		}
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			r = '?'
		}
		sb.WriteRune(r)
		n++
	}
	return `"` + strings.ReplaceAll(sb.String(), `"`, `'`) + `"`
}
