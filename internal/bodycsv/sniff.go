package bodycsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// sniff reads up to the first non-empty line and returns the text read (without a BOM, and with an Excel
// "sep=" line blanked so line numbers stay right) and the delimiter.
func sniff(br *bufio.Reader) (string, rune, error) {
	var pre strings.Builder
	for first := true; ; first = false {
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", 0, fmt.Errorf("bodycsv: read: %w", err)
		}
		if first {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		text := strings.TrimRight(line, "\r\n")
		if text == "" && err == nil {
			pre.WriteString(line)
			continue
		}
		if c, ok := sepLine(text); ok {
			pre.WriteString("\n")
			return pre.String(), c, nil
		}
		pre.WriteString(line)
		return pre.String(), sniffComma(text), nil
	}
}

// sepLine recognises Excel's "sep=;" hint line.
func sepLine(s string) (rune, bool) {
	s = strings.Trim(s, `"`)
	if len(s) != 5 || !strings.EqualFold(s[:4], "sep=") {
		return 0, false
	}
	switch c := rune(s[4]); c {
	case ',', ';', '\t', '|':
		return c, true
	}
	return 0, false
}

// sniffComma picks the delimiter for a header line: of comma, semicolon and tab, the first, by how often each
// appears outside quotes (ties in that order), that splits the line into a header Read knows. A name like
// "Weight, kg" in a tab file thus does not make it a comma file.
func sniffComma(s string) rune {
	counts := map[rune]int{}
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := rune(s[i]); {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	candidates := []rune{',', ';', '\t'}
	slices.SortStableFunc(candidates, func(a, b rune) int { return counts[b] - counts[a] })
	for _, c := range candidates {
		if counts[c] == 0 {
			break
		}
		cr := csv.NewReader(strings.NewReader(s))
		cr.Comma = c
		if header, err := cr.Read(); err == nil {
			if _, err := newLayout(header, c); err == nil {
				return c
			}
		}
	}
	return candidates[0]
}

// limitedReader reads at most left bytes and records whether r had more.
type limitedReader struct {
	r    io.Reader
	left int64
	over bool
}

var errOver = errors.New("over the byte limit")

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.over {
		return 0, errOver
	}
	if l.left <= 0 {
		var b [1]byte
		n, err := l.r.Read(b[:])
		if n > 0 {
			l.over = true
			return 0, errOver
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
