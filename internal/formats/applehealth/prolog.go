package applehealth

import (
	"bytes"

	"github.com/bodystats/bodystats/internal/formats/core"
)

func (s *scanner) skipOver(end []byte, what string) error {
	if !s.skipPast(end) {
		return s.errAt(core.ErrTruncated, "the file ends inside %s", what)
	}
	return nil
}

func (s *scanner) bang() error {
	s.need(len(pCDATA))
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, pComment):
		s.pos += len(pComment)
		return s.skipOver(pCommEnd, "a comment")
	case bytes.HasPrefix(rest, pCDATA):
		s.pos += len(pCDATA)
		return s.skipOver(pCDEnd, "a CDATA section")
	case bytes.HasPrefix(rest, pDoctype):
		if s.rootSeen {
			return s.errAt(core.ErrMalformed, "a DOCTYPE inside the document")
		}
		return s.skipDoctype()
	}
	return s.errAt(core.ErrMalformed, "an unknown <! declaration")
}

// skipDoctype steps over <!DOCTYPE ... [ internal subset ]> without reading a declaration in it: no entity
// is ever defined or expanded, and a malformed subset (iOS 16's ATTLIST without its ">") does not matter.
// It tracks quotes and comments only, so a "]" or ">" inside them does not end the DTD.
func (s *scanner) skipDoctype() error {
	start := s.at()
	s.pos += len(pDoctype)
	var quote byte
	inSubset := false
	for {
		if s.pos >= s.end && !s.fill() {
			return s.errAt(core.ErrTruncated, "the file ends inside the DOCTYPE")
		}
		if s.at()-start > maxPrologBytes {
			return s.errAt(core.ErrLimit, "a DOCTYPE longer than %d bytes", maxPrologBytes)
		}
		c := s.buf[s.pos]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<' && inSubset:
			s.need(4)
			if bytes.HasPrefix(s.buf[s.pos:s.end], pComment) {
				s.pos += len(pComment)
				if err := s.skipOver(pCommEnd, "a DTD comment"); err != nil {
					return err
				}
				continue
			}
		case c == '[':
			inSubset = true
		case c == ']':
			inSubset = false
		case c == '>' && !inSubset:
			s.pos++
			return nil
		}
		s.pos++
	}
}
