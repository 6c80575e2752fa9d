package bodycsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
)

// Detect tells from a file's first bytes (its header line must be among them) whether Read would take the
// file, and as which Format. It reads the header only, the way Read does, so that a format sniffer can
// dispatch to Read without a second copy of its rules.
func Detect(head []byte) (Format, bool) {
	br := bufio.NewReader(bytes.NewReader(head))
	pre, comma, err := sniff(br)
	if err != nil {
		return 0, false
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(pre), br))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return 0, false
	}
	l, err := newLayout(header, comma)
	if err != nil {
		return 0, false
	}
	if l.own {
		return FormatOwn, true
	}
	return FormatGeneric, true
}
