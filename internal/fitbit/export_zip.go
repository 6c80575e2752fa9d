package fitbit

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// ReadExportZip reads the weight and height files of a Fitbit account archive or Google Takeout zip. Other
// entries are not decompressed. An entry with an unsafe name (absolute, a ".." element, a drive letter) fails
// the whole export with ErrExportUnsafe, a damaged archive with ErrExportCorrupt, a breached limit with
// ErrExportLimit, and an archive without weight files with ErrNotExport. A file that cannot be read or parsed
// is reported in Problems and the rest is read.
func ReadExportZip(r io.ReaderAt, size int64, lim ExportLimits) (Export, error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(r, size)
	// ErrInsecurePath (GODEBUG zipinsecurepath=0) comes with a usable reader; the checks below refuse the
	// same names whatever the setting.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return Export{}, fmt.Errorf("fitbit: read export zip: %w: %w", ErrExportCorrupt, err)
	}
	if len(zr.File) > lim.MaxFiles {
		return Export{}, fmt.Errorf("fitbit: export zip has %d entries, more than %d: %w", len(zr.File), lim.MaxFiles, ErrExportLimit)
	}
	type entry struct {
		name string
		kind fileKind
		f    *zip.File
	}
	var entries []entry
	for _, f := range zr.File {
		name, err := zipEntryName(f.Name)
		if err != nil {
			return Export{}, err
		}
		if !f.Mode().IsRegular() || name == "" {
			continue // directories, and symlinks, whose content is a path, not a file
		}
		if kind := classify(name); kind != notExportFile {
			entries = append(entries, entry{name, kind, f})
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	c := collector{lim: lim}
	for _, e := range entries {
		open := func() (io.ReadCloser, error) { return e.f.Open() }
		if err := c.read(e.name, e.kind, open); err != nil {
			return Export{}, err
		}
	}
	return c.finish()
}

// zipEntryName checks an entry name and returns it slash-separated and cleaned. Archives made on Windows may
// use backslashes as separators, so a backslash counts as one. Nothing is ever written to disk, but a name
// that tries to leave the archive is a sign of a hostile file, so the whole export is refused.
func zipEntryName(raw string) (string, error) {
	name := strings.ReplaceAll(raw, `\`, "/")
	unsafe := strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) ||
		(len(name) >= 2 && name[1] == ':' && isLetter(name[0]))
	for _, el := range strings.Split(name, "/") {
		if el == ".." {
			unsafe = true
		}
	}
	if unsafe {
		return "", fmt.Errorf("fitbit: export zip entry %s: %w", clip(raw), ErrExportUnsafe)
	}
	if name == "" || strings.HasSuffix(name, "/") {
		return "", nil
	}
	return path.Clean(name), nil
}

func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }
