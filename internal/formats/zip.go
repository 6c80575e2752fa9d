package formats

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/formats/applehealth"
	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/zipx"
)

// ReadCloser is a Reader over a zip's entries; Close closes the entry being read.
type ReadCloser interface {
	Reader
	io.Closer
}

var (
	fitbitName = regexp.MustCompile(`^(weight|height)-\d{4}-\d{2}-\d{2}\.json$`)
	fitName    = regexp.MustCompile(`^(derived|raw)_com\.google\.(weight|height|body\.fat\.percentage)[^/]*\.json$`)
)

// byName tells the format an entry's name alone shows, or "" when the name says nothing.
func byName(name string) Format {
	base := zipx.Base(name)
	lower := strings.ToLower(base)
	switch {
	case fitbitName.MatchString(base):
		return FitbitExport
	case strings.HasSuffix(base, "_userBioMetrics.json"):
		return Garmin
	case strings.HasPrefix(base, "com.samsung.health.weight.") && strings.HasSuffix(lower, ".csv"):
		return Samsung
	case fitName.MatchString(base):
		return GoogleFit
	}
	return Format{}
}

// SniffZip picks the format of an export zip: Apple Health's main XML by content, then the entry names of the
// Fitbit, Garmin, Samsung and Google Fit exports, then the first bytes of each CSV and JSON entry (Withings'
// weight.csv, Zepp Life's BODY_*.csv, a zipped Renpho or openScale CSV...). The archive's limits and names are
// checked first (ErrLimit, ErrUnsafe). An archive of nothing known gives an error wrapping ErrUnknownFormat
// naming its entries; one whose entries are encrypted, ErrEncrypted.
func SniffZip(zr *zip.Reader) (Format, error) {
	entries, err := zipx.Entries(zr)
	if err != nil {
		return Format{}, fmt.Errorf("formats: %w", err)
	}
	if _, ok, err := applehealth.FindMain(entries); err != nil {
		return Format{}, fmt.Errorf("formats: %w", err)
	} else if ok {
		return AppleHealth, nil
	}
	// A Takeout may hold both Fitbit and Google Fit folders: the Fitbit files, with their logIds and fat, win.
	found := map[Format]bool{}
	for _, e := range entries {
		found[byName(e.Name)] = true
	}
	for _, f := range []Format{FitbitExport, Garmin, Samsung, GoogleFit} {
		if found[f] {
			return f, nil
		}
	}
	encrypted := false
	for _, e := range entries {
		lower := strings.ToLower(e.Name)
		if !strings.HasSuffix(lower, ".csv") && !strings.HasSuffix(lower, ".json") && !strings.HasSuffix(lower, ".txt") {
			continue
		}
		head, err := zipx.Head(e, SniffBytes)
		if errors.Is(err, ErrEncrypted) {
			encrypted = true
			continue
		}
		if err != nil {
			return Format{}, fmt.Errorf("formats: %w", err)
		}
		if f, err := Sniff(head); err == nil && readsHere(f) {
			return f, nil
		}
	}
	if encrypted {
		return Format{}, fmt.Errorf("formats: a zip of %d entries: %w", len(entries), ErrEncrypted)
	}
	return Format{}, unknown("%s", describeZip(entries))
}

func readsHere(f Format) bool {
	switch f {
	case FitbitExport, BodystatsCSV, GenericCSV, Zip, Format{}:
		return false
	}
	return true
}

// describeZip names an archive for a message: "a zip with 3 entries: foo.txt, bar/baz.csv, ...".
func describeZip(entries []zipx.Entry) string {
	if len(entries) == 0 {
		return "an empty zip"
	}
	s := fmt.Sprintf("a zip with %d entries: ", len(entries))
	if len(entries) == 1 {
		s = "a zip with 1 entry: "
	}
	for i, e := range entries {
		name := core.Clip(e.Name, 40)
		if i > 0 {
			name = ", " + name
		}
		if len(s)+len(name) > 90 {
			return s + ", ..."
		}
		s += name
	}
	return s
}

// OpenZip opens the entries of an export zip that hold format f, read one after the other.
func OpenZip(f Format, zr *zip.Reader) (ReadCloser, error) {
	return OpenZipIn(f, zr, nil)
}

// OpenZipIn is OpenZip with the zone for UTC-only formats (time.Local when nil).
func OpenZipIn(f Format, zr *zip.Reader, loc *time.Location) (ReadCloser, error) {
	if f == AppleHealth {
		z, err := applehealth.OpenZip(zr)
		if err != nil {
			return nil, err
		}
		return z, nil
	}
	if !readsHere(f) {
		return nil, fmt.Errorf("formats: %s: %w", f.Name, ErrOtherReader)
	}
	entries, err := zipx.Entries(zr)
	if err != nil {
		return nil, fmt.Errorf("formats: %w", err)
	}
	var picked []zipx.Entry
	for _, e := range entries {
		if byName(e.Name) == f {
			picked = append(picked, e)
		}
	}
	if f == GoogleFit {
		picked = preferDerived(picked)
	}
	if len(picked) == 0 {
		for _, e := range entries {
			head, err := zipx.Head(e, SniffBytes)
			if err != nil {
				continue
			}
			if g, err := Sniff(head); err == nil && g == f {
				picked = append(picked, e)
			}
		}
	}
	if len(picked) == 0 {
		return nil, fmt.Errorf("formats: no %s in %s: %w", f.Name, describeZip(entries), ErrUnknownFormat)
	}
	return &chain{f: f, loc: loc, entries: picked}, nil
}

// preferDerived keeps, of Google Fit's files, the merged derived_ stream of each data type when there is one:
// it is deduplicated across the raw_ sources.
func preferDerived(es []zipx.Entry) []zipx.Entry {
	derived := map[string]bool{}
	kind := func(e zipx.Entry) string { return fitName.FindStringSubmatch(zipx.Base(e.Name))[2] }
	for _, e := range es {
		if strings.HasPrefix(zipx.Base(e.Name), "derived_") {
			derived[kind(e)] = true
		}
	}
	var out []zipx.Entry
	for _, e := range es {
		if strings.HasPrefix(zipx.Base(e.Name), "derived_") || !derived[kind(e)] {
			out = append(out, e)
		}
	}
	return out
}

// chain reads entries one after the other, opening each only when the one before has ended.
type chain struct {
	f       Format
	loc     *time.Location
	entries []zipx.Entry
	rc      io.ReadCloser
	r       Reader
	err     error
}

func (c *chain) Next() (Record, error) {
	for c.err == nil {
		if c.r == nil {
			if len(c.entries) == 0 {
				c.err = io.EOF
				break
			}
			e := c.entries[0]
			c.entries = c.entries[1:]
			rc, err := zipx.Open(e)
			if err != nil {
				c.err = fmt.Errorf("formats: %w", err)
				break
			}
			r, err := OpenIn(c.f, rc, c.loc)
			if err != nil {
				rc.Close()
				c.err = err
				break
			}
			c.rc, c.r = rc, r
		}
		rec, err := c.r.Next()
		if err == io.EOF {
			c.rc.Close()
			c.rc, c.r = nil, nil
			continue
		}
		return rec, err
	}
	return Record{}, c.err
}

func (c *chain) Close() error {
	if c.rc != nil {
		return c.rc.Close()
	}
	return nil
}
