package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/importer"
)

// importCommand runs `import [--unit kg|lb|st] PATH`: an export of any format bodystats reads (zip, bare file or
// unpacked folder, recognised by content) goes into the database, and what was added, merged and skipped (with
// the reasons) is printed per file. On a terminal a progress line shows while it runs.
func importCommand(ctx context.Context, cfg config.Config, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	unitName := fs.String("unit", "", "the unit of the file's weights: kg, lb or st (default: detect)")
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return fmt.Errorf("import: %w (usage: import [--unit kg|lb|st] PATH)", err)
		}
		if fs.NArg() == 0 {
			break
		}
		paths, args = append(paths, fs.Arg(0)), fs.Args()[1:] // flags may follow the path too
	}
	if len(paths) != 1 {
		return errors.New("import takes one PATH: an export (zip, file or folder: Apple Health, Fitbit or Takeout, Withings, Garmin, Samsung Health, Google Fit, Renpho, Zepp Life, openScale) or a CSV file")
	}
	var opts importer.Options
	if *unitName != "" {
		u, err := body.ParseUnit(*unitName)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		opts.Unit = u
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if isTerminal(w) {
		opts.Progress = new(importer.Progress)
		stop := showProgress(w, opts.Progress)
		defer stop()
	}
	sum, err := importer.ImportPath(ctx, db, paths[0], opts)
	if opts.Progress != nil {
		fmt.Fprint(w, "\r\033[K") // clear the progress line
	}
	if err != nil {
		return fmt.Errorf("import %s: %s", paths[0], importer.Message(err))
	}
	printSummary(w, paths[0], sum)
	return nil
}

// isTerminal reports whether w is a terminal, where a progress line that rewrites itself makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// showProgress rewrites one line on w with p's figures until stop is called.
func showProgress(w io.Writer, p *importer.Progress) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				s := p.Snapshot()
				pct := 0.0
				if s.BytesTotal > 0 {
					pct = 100 * float64(s.BytesRead) / float64(s.BytesTotal)
				}
				fmt.Fprintf(w, "\r\033[K%3.0f%% of %s read, %d weigh-ins found %s", pct, megabytes(s.BytesTotal), s.Found, s.Format)
			}
		}
	}()
	return func() { close(done); <-finished }
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func printSummary(w io.Writer, path string, sum importer.Summary) {
	fmt.Fprintf(w, "Imported %s (%s).\n", path, sum.Kind)
	fmt.Fprintf(w, "Unit: %s\n", sum.UnitReason)
	for _, f := range sum.Files {
		fmt.Fprintf(w, "  %s: %d added, %d merged, %d skipped\n", f.File, f.Added, f.Merged, f.Skipped)
		if len(sum.Files) > 1 && f.UnitReason != sum.UnitReason && f.UnitReason != "" {
			fmt.Fprintf(w, "    unit: %s\n", f.UnitReason)
		}
		for _, r := range f.Reasons {
			fmt.Fprintf(w, "    skipped %d: %s\n", r.N, r.Why)
		}
		for _, p := range f.Problems {
			fmt.Fprintf(w, "    skipped: %s\n", p)
		}
	}
	fmt.Fprintf(w, "Total: %d added, %d merged (already stored), %d skipped.\n", sum.Added, sum.Merged, sum.Skipped)
}
