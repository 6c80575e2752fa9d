package applehealth

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/bodystats/bodystats/internal/formats/core"
)

// bufSize is the scanner's window; one tag must fit in it.
const bufSize = 1 << 20

// maxPrologBytes bounds the prolog and internal DTD before the root: real ones are about 10 KB.
const maxPrologBytes = 16 << 20

// scanner walks the XML as bytes: it finds each '<', tells tags apart by their first bytes, and hands the
// top-level Record tags whose type is a body type to onRecord. Nothing else is decoded; text, entities and
// children are stepped over. It tracks the element depth only, to notice a truncated file and a second root.
type scanner struct {
	src        io.Reader
	buf        []byte
	pos, end   int
	base       int64 // file offset of buf[0]
	eof        bool
	readErr    error
	depth      int
	rootSeen   bool
	rootClosed bool
	onRecord   func(tag []byte, at int64) error
}

func newScanner(r io.Reader, size int) *scanner {
	return &scanner{src: r, buf: make([]byte, size)}
}

// fill moves the unread bytes to the front and reads until the buffer is full or the input ends. It returns
// false when no byte was added.
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.pos, s.end = 0, n
	}
	added, empty := false, 0
	for s.end < len(s.buf) && empty < 100 {
		n, err := s.src.Read(s.buf[s.end:])
		s.end += n
		if n > 0 {
			added = true
		} else {
			empty++
		}
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) {
				s.readErr = err
			}
			break
		}
	}
	return added
}

func (s *scanner) at() int64 { return s.base + int64(s.pos) }

func (s *scanner) errAt(kind error, format string, args ...any) error {
	if s.readErr != nil {
		return fmt.Errorf("applehealth: read: %w", s.readErr)
	}
	return fmt.Errorf("applehealth: byte %d: %s: %w", s.at(), fmt.Sprintf(format, args...), kind)
}

// need makes at least n unread bytes available; false at the end of the input.
func (s *scanner) need(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// skipPast moves past the next occurrence of pat; false when the input ends first.
func (s *scanner) skipPast(pat []byte) bool {
	for {
		if i := bytes.Index(s.buf[s.pos:s.end], pat); i >= 0 {
			s.pos += i + len(pat)
			return true
		}
		if keep := s.end - len(pat) + 1; keep > s.pos {
			s.pos = keep
		}
		if !s.fill() {
			return false
		}
	}
}

var (
	pComment = []byte("<!--")
	pCommEnd = []byte("-->")
	pPIEnd   = []byte("?>")
	pCDATA   = []byte("<![CDATA[")
	pCDEnd   = []byte("]]>")
	pDoctype = []byte("<!DOCTYPE")
)

// run scans the whole input. Its errors wrap core.ErrTruncated, core.ErrMalformed or core.ErrUnknownFormat.
func (s *scanner) run() error {
	s.fill()
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte("\ufeff")) {
		s.pos += 3
	}
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			s.pos = s.end
			if !s.fill() {
				return s.finish()
			}
			continue
		}
		s.pos += i
		if !s.need(2) {
			return s.finish()
		}
		var err error
		switch s.buf[s.pos+1] {
		case '/':
			err = s.endTag()
		case '?':
			err = s.skipOver(pPIEnd, "a processing instruction")
		case '!':
			err = s.bang()
		default:
			err = s.startTag()
		}
		if err != nil {
			return err
		}
	}
}

// finish decides at the end of the input whether the document was whole.
func (s *scanner) finish() error {
	switch {
	case s.readErr != nil:
		return fmt.Errorf("applehealth: read: %w", s.readErr)
	case !s.rootSeen:
		return s.errAt(core.ErrUnknownFormat, "no <HealthData> root element")
	case !s.rootClosed:
		return s.errAt(core.ErrTruncated, "the file ends before </HealthData>")
	}
	return nil
}

func (s *scanner) endTag() error {
	gt, err := s.tagEnd()
	if err != nil {
		return err
	}
	if s.depth == 0 {
		return s.errAt(core.ErrMalformed, "an end tag without its start")
	}
	s.depth--
	if s.depth == 0 {
		s.rootClosed = true
	}
	s.pos = gt + 1
	return nil
}

var (
	tRecord    = []byte("<Record")
	tRecordEnd = []byte("</Record>")
	tRoot      = []byte("HealthData")
)

func (s *scanner) startTag() error {
	gt, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos : gt+1]
	self := tag[len(tag)-2] == '/'
	switch {
	case s.rootClosed:
		return s.errAt(core.ErrMalformed, "a second root element <%s> after </HealthData>", core.Clip(string(tagName(tag)), 30))
	case s.depth == 0:
		if name := tagName(tag); !bytes.Equal(name, tRoot) {
			return s.errAt(core.ErrUnknownFormat, "the root element is <%s>, not <HealthData>", core.Clip(string(name), 30))
		}
		s.rootSeen = true
	case s.depth == 1 && bytes.HasPrefix(tag, tRecord) && isSpace(tag[len(tRecord)]):
		// Only top-level Records count: a Correlation's children repeat them.
		if isBody(tag) {
			if err := s.onRecord(tag, s.at()); err != nil {
				return err
			}
		}
		if !self {
			// A Record's children (MetadataEntry, HRV lists) hold no Record: step over them in one search.
			s.pos = gt + 1
			if !s.skipPast(tRecordEnd) {
				return s.errAt(core.ErrTruncated, "the file ends inside a Record")
			}
			return nil
		}
	}
	if !self {
		s.depth++
	} else if s.depth == 0 {
		s.rootClosed = true
	}
	s.pos = gt + 1
	return nil
}

// tagEnd returns the index in buf of the '>' that ends the tag at pos, outside quotes. A '>' may stand
// unescaped in a value, so one inside quotes does not count.
func (s *scanner) tagEnd() (int, error) {
	from := s.pos
	for {
		seg := s.buf[from:s.end]
		if i := bytes.IndexByte(seg, '>'); i >= 0 {
			gt := from + i
			if closesTag(s.buf[s.pos : gt+1]) {
				return gt, nil
			}
			if g, ok := quotedEnd(s.buf[s.pos:s.end]); ok {
				return s.pos + g, nil
			}
			from = gt + 1
			continue
		}
		from = s.end - s.pos // offset into the tag, kept across the move fill does
		if s.end-s.pos >= len(s.buf) {
			return 0, s.errAt(core.ErrLimit, "a tag longer than %d bytes", len(s.buf))
		}
		if !s.fill() {
			return 0, s.errAt(core.ErrTruncated, "the file ends inside a tag")
		}
		from += s.pos
	}
}

// closesTag tells whether the '>' ending b ends the tag b starts, not a quoted value. The quick test: the
// byte before it (or before "/>") is a closing quote, that is a quote not right after "=". Else quotes are
// counted.
func closesTag(b []byte) bool {
	p := len(b) - 2
	if p > 0 && b[p] == '/' {
		p--
	}
	if p > 1 && b[p] == '"' && b[p-1] != '=' {
		return true
	}
	head := b[:len(b)-1]
	return bytes.IndexByte(head, '\'') < 0 && bytes.Count(head, []byte{'"'})%2 == 0
}

// quotedEnd finds the end of the tag at the start of b the slow way, byte by byte.
func quotedEnd(b []byte) (int, bool) {
	var quote byte
	for i, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i, true
		}
	}
	return 0, false
}

// tagName returns the element name of a start tag "<name ...>".
func tagName(tag []byte) []byte {
	n := tag[1:]
	for i, c := range n {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '>' {
			return n[:i]
		}
	}
	return n
}
