package applehealth

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Body types: the only Records decoded.
const (
	typeMass   = "HKQuantityTypeIdentifierBodyMass"
	typeFat    = "HKQuantityTypeIdentifierBodyFatPercentage"
	typeBMI    = "HKQuantityTypeIdentifierBodyMassIndex"
	typeHeight = "HKQuantityTypeIdentifierHeight"
	typeLean   = "HKQuantityTypeIdentifierLeanBodyMass"
)

var (
	pType      = []byte("type=")
	pHKPrefix  = []byte("HKQuantityTypeIdentifier")
	pFirstType = []byte(`<Record type="HKQuantityTypeIdentifier`)
)

// isBody looks only at the bytes of the type attribute of a Record tag.
func isBody(tag []byte) bool {
	var v []byte
	if rest, ok := bytes.CutPrefix(tag, pFirstType); ok {
		// Apple writes type first: reject filler on its first letter, before any search.
		switch rest[0] {
		case 'B', 'H', 'L':
		default:
			return false
		}
		if end := bytes.IndexByte(rest, '"'); end >= 0 {
			v = rest[:end]
		}
		return v != nil && isBodyType(v)
	}
	v = rawAttr(tag, pType)
	if !bytes.HasPrefix(v, pHKPrefix) {
		return false
	}
	return isBodyType(v[len(pHKPrefix):])
}

func isBodyType(v []byte) bool {
	switch string(v) { // no allocation: the compiler compares in place
	case "BodyMass", "BodyFatPercentage", "BodyMassIndex", "Height", "LeanBodyMass":
		return true
	}
	return false
}

// rawAttr returns the raw value of the attribute whose name plus "=" is key, or nil.
func rawAttr(tag, key []byte) []byte {
	from := 0
	for {
		i := bytes.Index(tag[from:], key)
		if i < 0 {
			return nil
		}
		i += from
		from = i + len(key)
		if i == 0 || !isSpace(tag[i-1]) || from >= len(tag) {
			continue
		}
		q := tag[from]
		if q != '"' && q != '\'' {
			continue
		}
		end := bytes.IndexByte(tag[from+1:], q)
		if end < 0 {
			return nil
		}
		return tag[from+1 : from+1+end]
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// attrs reads every attribute of a tag; values are unescaped, names kept as written.
func attrs(tag []byte) map[string]string {
	m := map[string]string{}
	b := tag[1 : len(tag)-1]
	i := bytes.IndexFunc(b, func(r rune) bool { return isSpace(byte(r)) || r == '/' })
	if i < 0 {
		return m
	}
	b = b[i:]
	for {
		b = bytes.TrimLeft(b, " \t\r\n/")
		eq := bytes.IndexByte(b, '=')
		if eq <= 0 {
			return m
		}
		name := string(bytes.TrimSpace(b[:eq]))
		b = bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(b) == 0 || (b[0] != '"' && b[0] != '\'') {
			return m
		}
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 {
			return m
		}
		if _, dup := m[name]; !dup {
			m[name] = unescape(b[1 : 1+end])
		}
		b = b[end+2:]
	}
}

// unescape replaces the five predefined entities and character references. Any other entity (one a DTD
// would define) is left as written: no DTD is read, so nothing can expand.
func unescape(v []byte) string {
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var sb strings.Builder
	for len(v) > 0 {
		amp := bytes.IndexByte(v, '&')
		if amp < 0 {
			sb.Write(v)
			break
		}
		sb.Write(v[:amp])
		v = v[amp:]
		semi := bytes.IndexByte(v, ';')
		if semi < 0 || semi > 12 {
			sb.WriteByte('&')
			v = v[1:]
			continue
		}
		ref, rest := string(v[1:semi]), v[semi+1:]
		switch ref {
		case "amp":
			sb.WriteByte('&')
		case "lt":
			sb.WriteByte('<')
		case "gt":
			sb.WriteByte('>')
		case "quot":
			sb.WriteByte('"')
		case "apos":
			sb.WriteByte('\'')
		default:
			if r, ok := charRef(ref); ok {
				sb.WriteRune(r)
			} else {
				sb.Write(v[:semi+1])
			}
		}
		v = rest
	}
	return sb.String()
}

func charRef(ref string) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ref[1] == 'x' || ref[1] == 'X' {
		n, err = strconv.ParseUint(ref[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(ref[1:], 10, 32)
	}
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// label cleans a source name for display: control characters (a stray \x0b) dropped, spaces trimmed.
func label(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// deviceName takes "name:iPhone" out of an HKDevice description
// "<<HKDevice: 0x…>, name:iPhone, manufacturer:Apple Inc., model:iPhone, …>".
func deviceName(d string) string {
	for _, part := range strings.Split(d, ", ") {
		if v, ok := strings.CutPrefix(part, "name:"); ok {
			return label(strings.TrimRight(v, ">"))
		}
	}
	return ""
}
