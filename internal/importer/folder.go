package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/formats"
	"github.com/bodystats/bodystats/internal/formats/core"
	"github.com/bodystats/bodystats/internal/store"
)

// maxFolderFiles bounds the files a folder walk sniffs: an unpacked Apple Health export holds a few thousand.
const maxFolderFiles = 100_000

// fitFile names Google Fit's data-point files: the derived_ stream of a type merges its raw_ sources.
var fitFile = regexp.MustCompile(`^(derived|raw)_com\.google\.(weight|height|body\.fat\.percentage)`)

// folderFile is one regular file of a folder and the format its first bytes show.
type folderFile struct {
	name   string // slash-separated, inside the folder
	size   int64
	format formats.Format
	err    error // why it is of no known format
}

// importFolder imports an unpacked export: every file is recognised by its content. An Apple Health main XML
// wins (an unpacked apple_health_export/); then Fitbit's weight files (read by internal/fitbit); then every file
// of the other exports' formats, as one source; a lone CSV of the app's or a generic layout last.
func importFolder(ctx context.Context, db *store.DB, dir string, opts Options) (Summary, error) {
	// os.Root keeps every read inside the folder, whatever symlinks it holds.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	defer root.Close()
	files, err := sniffFolder(root.FS())
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %s: %w", dir, err)
	}
	by := map[formats.Format][]folderFile{}
	for _, f := range files {
		by[f.format] = append(by[f.format], f)
	}
	var picked []folderFile
	switch {
	case len(by[formats.AppleHealth]) > 0:
		picked = by[formats.AppleHealth]
	case len(by[formats.FitbitExport]) > 0:
		exp, err := fitbit.ReadExportDir(root.FS(), opts.Limits)
		if err != nil {
			return Summary{}, fmt.Errorf("importer: %s: %w", dir, err)
		}
		opts.Progress.setFormat(formats.FitbitExport.Name)
		return importExport(ctx, db, "Fitbit export (folder)", exp, folderFingerprint(exp), opts)
	default:
		for _, f := range files {
			if readsHere(f.format) && (f.format != formats.GoogleFit || !rawWithDerived(f, by[formats.GoogleFit])) {
				picked = append(picked, f)
			}
		}
	}
	if len(picked) == 0 {
		csvs := append(by[formats.BodystatsCSV], by[formats.GenericCSV]...)
		if len(csvs) == 1 {
			opts.Name = opts.Name + "/" + csvs[0].name
			return importFile(ctx, db, root, csvs[0].name, opts)
		}
		return Summary{}, fmt.Errorf("importer: %s: %s: %w", dir, describeFolder(files), ErrUnknownFormat)
	}

	var total int64
	for _, f := range picked {
		total += f.size
	}
	opts.Progress.setTotal(total)
	opts.Progress.setFormat(picked[0].format.Name)
	h := sha256.New()
	var recs []fileRecords
	for _, f := range picked {
		fr, fp, err := readFolderFile(ctx, root, f, opts.Progress)
		if err != nil {
			return Summary{}, err
		}
		fmt.Fprintf(h, "%s\x00%s\x00", f.name, fp)
		recs = append(recs, fr)
	}
	kind := picked[0].format.Name + " (folder)"
	sum, err := importRecords(ctx, db, kind, recs, "folder:"+hex.EncodeToString(h.Sum(nil)), opts)
	if err == nil {
		opts.Progress.done()
	}
	return sum, err
}

// importFile imports one file of the folder as Import would.
func importFile(ctx context.Context, db *store.DB, root *os.Root, name string, opts Options) (Summary, error) {
	f, err := root.Open(name)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	return Import(ctx, db, f, fi.Size(), opts)
}

func readFolderFile(ctx context.Context, root *os.Root, f folderFile, p *Progress) (fileRecords, string, error) {
	file, err := root.Open(f.name)
	if err != nil {
		return fileRecords{}, "", fmt.Errorf("importer: %w", err)
	}
	defer file.Close()
	fp, err := fingerprint(file, f.size)
	if err != nil {
		return fileRecords{}, "", fmt.Errorf("importer: %s: %w", f.name, err)
	}
	fr := fileRecords{name: f.name, format: f.format}
	rd, err := formats.Open(f.format, io.NewSectionReader(counted(file, p), 0, f.size))
	if err == nil {
		err = readAll(ctx, rd, &fr, p)
	}
	return fr, fp, err
}

// sniffFolder lists the folder's regular files (symlinks are skipped) with the format of each.
func sniffFolder(fsys fs.FS) ([]folderFile, error) {
	var out []folderFile
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			return nil // a folder it cannot read is left out
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if len(out) >= maxFolderFiles {
			return fmt.Errorf("the folder holds more than %d files: %w", maxFolderFiles, formats.ErrLimit)
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		f := folderFile{name: p, size: fi.Size()}
		f.format, f.err = sniffFile(fsys, p)
		out = append(out, f)
		return nil
	})
	return out, err
}

func sniffFile(fsys fs.FS, name string) (formats.Format, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return formats.Format{}, err
	}
	defer f.Close()
	head := make([]byte, formats.SniffBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return formats.Format{}, err
	}
	g, err := formats.Sniff(head[:n])
	if g == formats.Zip {
		return formats.Format{}, errors.New("a zip inside the folder (import the zip itself)")
	}
	return g, err
}

// readsHere reports whether the formats package reads f.
func readsHere(f formats.Format) bool {
	switch f {
	case formats.FitbitExport, formats.BodystatsCSV, formats.GenericCSV, formats.Zip, formats.Format{}:
		return false
	}
	return true
}

// rawWithDerived reports whether f is a Google Fit raw_ file whose data type has a derived_ file too.
func rawWithDerived(f folderFile, fit []folderFile) bool {
	m := fitFile.FindStringSubmatch(path.Base(f.name))
	if m == nil || m[1] != "raw" {
		return false
	}
	for _, g := range fit {
		if n := fitFile.FindStringSubmatch(path.Base(g.name)); n != nil && n[1] == "derived" && n[2] == m[2] {
			return true
		}
	}
	return false
}

// describeFolder says what a folder of no known format held, for the error.
func describeFolder(files []folderFile) string {
	if len(files) == 0 {
		return "an empty folder"
	}
	var seen []string
	for _, f := range files {
		if len(seen) == 3 {
			seen = append(seen, "...")
			break
		}
		why := f.format.Name + ": import it on its own"
		if f.err != nil {
			why = strings.TrimSuffix(strings.TrimPrefix(f.err.Error(), "formats: "), ": "+core.ErrUnknownFormat.Error())
		}
		seen = append(seen, core.Clip(f.name, 40)+" ("+why+")")
	}
	return fmt.Sprintf("a folder of %d files, none in a format bodystats knows: %s", len(files), strings.Join(seen, ", "))
}
