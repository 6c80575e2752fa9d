package applehealth

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/formats/zipx"
)

// headBytes is how much of an entry Sniff looks at: the DOCTYPE line comes right after the XML declaration.
const headBytes = 4 << 10

// Sniff reports whether the first bytes of a file are an Apple Health main XML: a <!DOCTYPE HealthData or a
// <HealthData root near the top. export_cda.xml (a ClinicalDocument) is not.
func Sniff(head []byte) bool {
	if len(head) > headBytes {
		head = head[:headBytes]
	}
	return bytes.Contains(head, []byte("<!DOCTYPE HealthData")) || bytes.Contains(head, []byte("<HealthData"))
}

// ZipReader reads the main XML straight out of an export zip, with no temporary file.
type ZipReader struct {
	*Reader
	Entry string // the entry read, e.g. "apple_health_export/exportar.xml"
	rc    io.ReadCloser
}

// Close closes the zip entry.
func (z *ZipReader) Close() error { return z.rc.Close() }

// FindMain returns the archive's main XML, found by content whatever its name; ok is false when there is none.
func FindMain(entries []zipx.Entry) (zipx.Entry, bool, error) {
	for _, e := range entries {
		if !strings.HasSuffix(strings.ToLower(e.Name), ".xml") || strings.EqualFold(zipx.Base(e.Name), "export_cda.xml") {
			continue
		}
		head, err := zipx.Head(e, headBytes)
		if err != nil {
			return zipx.Entry{}, false, err
		}
		if Sniff(head) {
			return e, true, nil
		}
	}
	return zipx.Entry{}, false, nil
}

// OpenZip opens the main XML of an export.zip. An archive without one gives an error wrapping
// core.ErrUnknownFormat.
func OpenZip(zr *zip.Reader) (*ZipReader, error) {
	entries, err := zipx.Entries(zr)
	if err != nil {
		return nil, fmt.Errorf("applehealth: %w", err)
	}
	e, ok, err := FindMain(entries)
	if err != nil {
		return nil, fmt.Errorf("applehealth: %w", err)
	}
	if !ok {
		return nil, fmt.Errorf("applehealth: no export.xml with a <HealthData> root in the archive: %w", core.ErrUnknownFormat)
	}
	rc, err := zipx.Open(e)
	if err != nil {
		return nil, fmt.Errorf("applehealth: %w", err)
	}
	return &ZipReader{Reader: NewReader(rc), Entry: e.Name, rc: rc}, nil
}
