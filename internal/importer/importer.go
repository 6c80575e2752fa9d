// Package importer brings a Fitbit export, a Google Takeout archive or a CSV file into the store: it reads the
// file, decides the weight unit, and merges every weigh-in in one transaction, so an import lands whole or not
// at all and never duplicates or overwrites what a sync stored.
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/store"
)

// The account imported weigh-ins belong to: one per installation, since bodystats keeps one person's history.
const (
	AccountProvider = "import"
	AccountUserID   = "local"
)

// Options adjust an import.
type Options struct {
	Unit   body.Unit           // "" to detect the unit from the data
	Limits fitbit.ExportLimits // caps on an export's size; zero values are the reader's defaults
	Name   string              // the file's name, as the Sources page shows the import; "" for "Imported file"
}

// FileSummary is what became of one file's weigh-ins.
type FileSummary struct {
	File                   string
	Added, Merged, Skipped int
	Problems               []string // sentences about skipped records or files
}

// Summary is what an import did, for the command's output and the upload page.
type Summary struct {
	SourceID               int64  // the import's source; 0 when the file held no weigh-in
	Kind                   string // e.g. "Fitbit export (zip)"
	Unit                   body.Unit
	UnitReason             string // why that unit: chosen by the person, named in the file, or detected
	Files                  []FileSummary
	Added, Merged, Skipped int
}

// ErrUnknownFormat means the file is neither a Fitbit/Takeout export nor a weight CSV.
var ErrUnknownFormat = errors.New("importer: not a Fitbit export, Google Takeout archive or weight CSV")

// ImportPath imports a zip file, an unpacked export folder, or a CSV file.
func ImportPath(ctx context.Context, db *store.DB, path string, opts Options) (Summary, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	if fi.IsDir() {
		// os.Root keeps every read inside the folder, whatever symlinks it holds.
		root, err := os.OpenRoot(path)
		if err != nil {
			return Summary{}, fmt.Errorf("importer: %w", err)
		}
		defer root.Close()
		exp, err := fitbit.ReadExportDir(root.FS(), opts.Limits)
		if err != nil {
			return Summary{}, fmt.Errorf("importer: %s: %w", path, err)
		}
		if opts.Name == "" {
			opts.Name = filepath.Base(path)
		}
		return importExport(ctx, db, "Fitbit export (folder)", exp, folderFingerprint(exp), opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	return Import(ctx, db, f, fi.Size(), opts)
}

// Import imports a zip archive or a CSV file read from r (an upload, or a file on disk), telling them apart by
// their first bytes.
func Import(ctx context.Context, db *store.DB, r io.ReaderAt, size int64, opts Options) (Summary, error) {
	fp, err := fingerprint(r, size)
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	head := make([]byte, 4)
	n, _ := r.ReadAt(head, 0)
	if bytes.Equal(head[:n], []byte("PK\x03\x04")) || bytes.Equal(head[:n], []byte("PK\x05\x06")) {
		exp, err := fitbit.ReadExportZip(r, size, opts.Limits)
		if err != nil {
			return Summary{}, fmt.Errorf("importer: %w", err)
		}
		return importExport(ctx, db, "Fitbit export (zip)", exp, fp, opts)
	}
	file, err := bodycsv.Read(io.NewSectionReader(r, 0, size), bodycsv.Limits{})
	if errors.Is(err, bodycsv.ErrNotCSV) {
		return Summary{}, ErrUnknownFormat
	}
	if err != nil {
		return Summary{}, fmt.Errorf("importer: %w", err)
	}
	return importCSV(ctx, db, file, fp, opts)
}

// importAccount returns the account imports belong to, creating it the first time.
func importAccount(ctx context.Context, db *store.DB) (store.Account, error) {
	return db.UpsertAccount(ctx, store.Account{Provider: AccountProvider, ExternalUserID: AccountUserID, DisplayName: "Imported history"})
}

// storeBatch stores the batch as the file's source in one transaction and credits each outcome to the file its
// row came from: Added for a weigh-in new to the history, Merged for one already there (an earlier import of the
// same file, another source's twin).
func storeBatch(ctx context.Context, db *store.DB, sum *Summary, ms []store.Measurement, fileOf []int, fp string, opts Options) error {
	if len(ms) == 0 {
		return nil
	}
	name := opts.Name
	if name == "" {
		name = "Imported file"
	}
	res, src, err := db.Import(ctx, store.Source{Name: name, Detail: sum.Kind}, fp, ms)
	if err != nil {
		return fmt.Errorf("importer: nothing was imported: %w", err)
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
	for _, fs := range sum.Files {
		sum.Added += fs.Added
		sum.Merged += fs.Merged
		sum.Skipped += fs.Skipped
	}
	return nil
}
