package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/importer"
)

// importCommand runs `import [--unit kg|lb|st] PATH`: a Fitbit export (zip or folder, any era's layout) or a CSV
// file goes into the database, and what was added, merged and skipped is printed per file.
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
		return errors.New("import takes one PATH: a Fitbit or Google Takeout export (zip or folder) or a CSV file")
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
	sum, err := importer.ImportPath(ctx, db, paths[0], opts)
	if err != nil {
		return err
	}
	printSummary(w, paths[0], sum)
	return nil
}

func printSummary(w io.Writer, path string, sum importer.Summary) {
	fmt.Fprintf(w, "Imported %s (%s).\n", path, sum.Kind)
	fmt.Fprintf(w, "Unit: %s\n", sum.UnitReason)
	for _, f := range sum.Files {
		fmt.Fprintf(w, "  %s: %d added, %d merged, %d skipped\n", f.File, f.Added, f.Merged, f.Skipped)
		for _, p := range f.Problems {
			fmt.Fprintf(w, "    skipped: %s\n", p)
		}
	}
	fmt.Fprintf(w, "Total: %d added, %d merged (already stored), %d skipped.\n", sum.Added, sum.Merged, sum.Skipped)
}
