// Package csvx reads the delimited text files of health exports once for all readers: a UTF-8 BOM, a ",", ";"
// or tab separator picked from the first line, quoted fields, decimal commas and the many spellings of "no value".
package csvx

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/bodystats/bodystats/internal/formats/core"
)

// MaxBytes bounds what one CSV file may hold: exports of weigh-ins are kilobytes to a few megabytes.
const MaxBytes = 256 << 20

// Reader reads the records of one delimited file.
type Reader struct {
	br    *bufio.Reader
	lim   *limited
	cr    *csv.Reader
	comma rune
}

// New returns a Reader over r; the separator is chosen when the first record is read.
func New(r io.Reader) *Reader {
	lim := &limited{r: r, left: MaxBytes}
	return &Reader{br: bufio.NewReaderSize(lim, 64<<10), lim: lim}
}

// Comma is the separator in use (0 before the first Read).
func (r *Reader) Comma() rune { return r.comma }

// Line is the line the last record read started on.
func (r *Reader) Line() int {
	if r.cr == nil {
		return 0
	}
	l, _ := r.cr.FieldPos(0)
	return l
}

// Where names the last record read for a message.
func (r *Reader) Where() string { return fmt.Sprintf("line %d", r.Line()) }

// Read returns the next record with its cells trimmed of spaces; blank lines are skipped.
func (r *Reader) Read() ([]string, error) {
	if r.cr == nil {
		if err := r.start(); err != nil {
			return nil, err
		}
	}
	rec, err := r.cr.Read()
	if r.lim.over {
		return nil, fmt.Errorf("csvx: more than %d bytes: %w", MaxBytes, core.ErrLimit)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && !errors.Is(err, csv.ErrFieldCount) {
			return nil, fmt.Errorf("csvx: %w: %w", core.ErrMalformed, err)
		}
		return nil, fmt.Errorf("csvx: %w", err)
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec, nil
}

func (r *Reader) start() error {
	if b, _ := r.br.Peek(3); bytes.Equal(b, []byte("\ufeff")) {
		r.br.Discard(3)
	}
	head, _ := r.br.Peek(64 << 10)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	r.comma = Sniff(head)
	r.cr = csv.NewReader(r.br)
	r.cr.Comma = r.comma
	r.cr.FieldsPerRecord = -1
	r.cr.LazyQuotes = true
	return nil
}

// Sniff picks the separator of a header line: the most frequent of ",", ";" and tab outside quotes, "," on a tie.
func Sniff(line []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[rune(c)]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// Missing reports whether a cell means "no value": empty, "null", "-", "--", "–", "—", "n/a", "NaN".
func Missing(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "null", "-", "--", "–", "—", "n/a", "na", "none", "nan":
		return true
	}
	return false
}

// Number parses a decimal cell: "82.4", "82,4", "1.234,5"; ok is false when the cell is Missing. A value that
// is not a finite, non-negative number is an error.
func Number(s string) (v float64, ok bool, err error) {
	s = strings.TrimSpace(s)
	if Missing(s) {
		return 0, false, nil
	}
	t := s
	if c := strings.LastIndexByte(t, ','); c >= 0 {
		if d := strings.LastIndexByte(t, '.'); d > c {
			t = strings.ReplaceAll(t, ",", "") // 1,234.5
		} else {
			t = strings.ReplaceAll(t, ".", "")
			t = strings.Replace(t, ",", ".", 1) // 82,4 or 1.234,5
		}
	}
	v, err = strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("%q is not a number", core.Clip(s, 40))
	}
	if v < 0 {
		return 0, false, fmt.Errorf("%q is negative", core.Clip(s, 40))
	}
	return v, true, nil
}

// NumberUnit parses a cell that may carry its unit, "80.4 kg", "20%", "175 lbs": the unit is returned lowered.
func NumberUnit(s string) (v float64, unit string, ok bool, err error) {
	s = strings.TrimSpace(s)
	i := len(s)
	for i > 0 && !(s[i-1] >= '0' && s[i-1] <= '9') && s[i-1] != '.' {
		i--
	}
	if i == 0 {
		if Missing(s) {
			return 0, "", false, nil
		}
		return 0, "", false, fmt.Errorf("%q is not a number", core.Clip(s, 40))
	}
	v, ok, err = Number(s[:i])
	return v, strings.ToLower(strings.TrimSpace(s[i:])), ok, err
}

// Key normalises a header cell for lookups: BOM and quotes dropped, lower case, runs of spaces made one.
func Key(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.Trim(strings.TrimSpace(s), `"`)
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Columns maps each normalised header cell to its index; the first of equal names wins.
func Columns(header []string) map[string]int {
	m := make(map[string]int, len(header))
	for i, h := range header {
		k := Key(h)
		if _, dup := m[k]; !dup {
			m[k] = i
		}
	}
	return m
}

// Cell returns rec[i], or "" when i is out of range (ragged rows, absent columns given as -1).
func Cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}

// limited reads at most left bytes and records whether there was more.
type limited struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var b [1]byte
		if n, _ := l.r.Read(b[:]); n > 0 {
			l.over = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// HeaderUnit splits a header cell into its normalised name and the unit in its last brackets:
// "Weight (kg)" and "Weight(KG)" give "weight", "kg"; "Body Fat(%)" gives "body fat", "%".
func HeaderUnit(cell string) (name, unit string) {
	k := Key(cell)
	if strings.HasSuffix(k, ")") {
		if i := strings.LastIndexByte(k, '('); i >= 0 {
			return strings.TrimSpace(k[:i]), strings.TrimSpace(k[i+1 : len(k)-1])
		}
	}
	return k, ""
}

// Find returns the index of the first header cell whose name (HeaderUnit's) is one of names, and its unit;
// -1 when there is none.
func Find(header []string, names ...string) (int, string) {
	for i, h := range header {
		n, u := HeaderUnit(h)
		for _, want := range names {
			if n == want {
				return i, u
			}
		}
	}
	return -1, ""
}

// FirstLine returns the first line of head, without a BOM and line end.
func FirstLine(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return strings.TrimRight(string(head), "\r")
}

// SplitLine splits one CSV line with the separator Sniff picks; nil when it is not CSV.
func SplitLine(line string) []string {
	cr := csv.NewReader(strings.NewReader(line))
	cr.Comma = Sniff([]byte(line))
	cr.LazyQuotes = true
	rec, err := cr.Read()
	if err != nil {
		return nil
	}
	return rec
}

// Header reads the header record; an empty file is an error wrapping core.ErrMalformed, never io.EOF.
func (r *Reader) Header() ([]string, error) {
	h, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("csvx: the file is empty: %w", core.ErrMalformed)
	}
	return h, err
}
