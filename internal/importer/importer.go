// Package importer brings an export (Apple Health, Fitbit or Google Takeout, Withings, Garmin, Samsung Health,
// Google Fit, Renpho, Zepp Life, openScale) or a CSV file into the store: it recognises the file by content,
// decides the weight unit, skips what cannot be a weigh-in of the person (with reasons), and merges every
// weigh-in in one transaction, so an import lands whole or not at all and never duplicates or overwrites what
// a sync stored.
package importer

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/formats"
	"github.com/bodystats/bodystats/internal/formats/applehealth"
	"github.com/bodystats/bodystats/internal/store"
)

// The account imported weigh-ins belong to: one per installation, since bodystats keeps one person's history.
const (
	AccountProvider = "import"
	AccountUserID   = "local"
)

// Options adjust an import.
type Options struct {
	Unit     body.Unit           // "" to detect the unit from the data
	Limits   fitbit.ExportLimits // caps on an export's size; zero values are the reader's defaults
	Name     string              // the file's name, as the Sources page shows the import; "" for "Imported file"
	Progress *Progress           // when set, advanced as the import reads (see Progress)
}

// FileSummary is what became of one file's weigh-ins.
type FileSummary struct {
	File                   string
	Format                 string // the format recognised, e.g. "Apple Health export"
	Unit                   body.Unit
	UnitReason             string
	Added, Merged, Skipped int
	Reasons                []Reason // the skipped records counted by reason, the commonest first
	Problems               []string // sentences about skipped records or files (a few examples)
}

// Summary is what an import did, for the command's output and the upload page.
type Summary struct {
	SourceID               int64  // the import's source; 0 when the file held no weigh-in
	Kind                   string // the format recognised, e.g. "Fitbit export (zip)", "Apple Health export (zip)"
	Unit                   body.Unit
	UnitReason             string // why that unit: chosen by the person, named in the file, or detected
	Files                  []FileSummary
	Added, Merged, Skipped int
}

// Errors for errors.Is. A file of no known format gives an error wrapping ErrUnknownFormat whose text says what
// the file looked like; ErrStore means the database failed (the input may be fine).
var (
	ErrUnknownFormat = formats.ErrUnknownFormat
	ErrStore         = errors.New("importer: the database could not store the import")
)

// ImportPath imports a file (a zip, an Apple Health XML, a CSV or JSON export) or an unpacked export folder,
// recognised by content.
func ImportPath(ctx context.Context, db *store.DB, path string, opts Options) (Summary, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	if fi.IsDir() {
		return importFolder(ctx, db, path, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	defer f.Close()
	return Import(ctx, db, f, fi.Size(), opts)
}

// Import imports one file read from r (an upload, or a file on disk), recognised by its content: a zip
// (Fitbit or Takeout, Apple Health, Withings, Garmin, Samsung, Google Fit...), a bare export file, or a CSV.
func Import(ctx context.Context, db *store.DB, r io.ReaderAt, size int64, opts Options) (Summary, error) {
	fp, err := fingerprint(r, size)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	opts.Progress.setTotal(size)
	f, err := sniff(r, size)
	if err != nil {
		return Summary{}, err
	}
	cr := counted(r, opts.Progress)
	var sum Summary
	switch f {
	case formats.Zip:
		sum, err = importZip(ctx, db, cr, size, fp, opts)
	case formats.FitbitExport:
		return Summary{}, fmt.Errorf("importer: a single Fitbit weight-….json file; import the whole export (its zip or folder): %w", ErrUnknownFormat)
	case formats.BodystatsCSV, formats.GenericCSV:
		opts.Progress.setFormat(f.Name)
		var file bodycsv.File
		file, err = bodycsv.Read(io.NewSectionReader(cr, 0, size), bodycsv.Limits{})
		if err != nil {
			return Summary{}, fmt.Errorf("importer: %w", err)
		}
		sum, err = importCSV(ctx, db, file, fp, opts)
	default:
		opts.Progress.setFormat(f.Name)
		fr := fileRecords{name: opts.Name, format: f}
		var rd formats.Reader
		if rd, err = formats.Open(f, io.NewSectionReader(cr, 0, size)); err == nil {
			err = readAll(ctx, rd, &fr, opts.Progress)
		}
		if err != nil {
			return Summary{}, err
		}
		sum, err = importRecords(ctx, db, f.Name, []fileRecords{fr}, fp, opts)
	}
	if err == nil {
		opts.Progress.done()
	}
	return sum, err
}

// sniff recognises a file from its first bytes.
func sniff(r io.ReaderAt, size int64) (formats.Format, error) {
	head := make([]byte, min(size, formats.SniffBytes))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return formats.Format{}, fmt.Errorf("importer: read the file: %w", err)
	}
	f, err := formats.Sniff(head)
	if err != nil {
		return formats.Format{}, fmt.Errorf("importer: %w", err)
	}
	return f, nil
}

// importZip imports an export zip: a Fitbit or Takeout archive through internal/fitbit, the others through the
// formats readers, straight out of the archive.
func importZip(ctx context.Context, db *store.DB, r io.ReaderAt, size int64, fp string, opts Options) (Summary, error) {
	zr, err := zip.NewReader(r, size)
	// ErrInsecurePath comes with a usable reader; zipx refuses the same names whatever GODEBUG says.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return Summary{}, fmt.Errorf("importer: not a readable zip archive (damaged, or cut short by an interrupted download or copy): %w: %w", formats.ErrMalformed, err)
	}
	f, err := formats.SniffZip(zr)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	opts.Progress.setFormat(f.Name)
	if f == formats.FitbitExport {
		exp, err := fitbit.ReadExportZip(r, size, opts.Limits)
		if err != nil {
			return Summary{}, fmt.Errorf("importer: %w", err)
		}
		return importExport(ctx, db, "Fitbit export (zip)", exp, fp, opts)
	}
	z, err := formats.OpenZip(f, zr)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	defer z.Close()
	fr := fileRecords{name: opts.Name, format: f}
	if ah, ok := z.(*applehealth.ZipReader); ok {
		fr.name = opts.Name + ": " + ah.Entry
	}
	if err := readAll(ctx, z, &fr, opts.Progress); err != nil {
		return Summary{}, err
	}
	return importRecords(ctx, db, f.Name+" (zip)", []fileRecords{fr}, fp, opts)
}

// Message is an import error as words for people: the package prefixes taken off.
func Message(err error) string {
	s := err.Error()
	for _, p := range []string{"importer: ", "formats: ", "applehealth: ", "zipx: ", "fitbit: ", "bodycsv: ", "csvx: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// importAccount returns the account imports belong to, creating it the first time.
func importAccount(ctx context.Context, db *store.DB) (store.Account, error) {
	return db.UpsertAccount(ctx, store.Account{Provider: AccountProvider, ExternalUserID: AccountUserID, DisplayName: "Imported history"})
}

// storeBatch stores the batch as the file's source in one transaction and credits each outcome to the file its
// row came from: Added for a weigh-in new to the history, Merged for one already there (an earlier import of the
// same file, another source's twin).
func storeBatch(ctx context.Context, db *store.DB, sum *Summary, ms []store.Measurement, fileOf []int, fp string, opts Options) error {
	defer func() {
		sum.Added, sum.Merged, sum.Skipped = 0, 0, 0
		for _, fs := range sum.Files {
			sum.Added += fs.Added
			sum.Merged += fs.Merged
			sum.Skipped += fs.Skipped
		}
	}()
	if len(ms) == 0 {
		return nil
	}
	name := opts.Name
	if name == "" {
		name = "Imported file"
	}
	res, src, err := db.Import(ctx, store.Source{Name: name, Detail: sum.Kind}, fp, ms)
	if err != nil {
		return fmt.Errorf("importer: nothing was imported: %w: %w", ErrStore, err)
	}
	sum.SourceID = src.ID
	for i, o := range res.Outcomes {
		fs := &sum.Files[fileOf[i]]
		if o == store.Added {
			fs.Added++
		} else {
			fs.Merged++ // the same weigh-in is already stored (re-import, or synced from the provider)
		}
	}
	return nil
}
