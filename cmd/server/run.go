package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/store"
)

// run is the whole program; tests call it with their own arguments, environment and writers.
func run(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	cfg, rest, err := config.Load(args, environ)
	if errors.Is(err, flag.ErrHelp) {
		config.Usage(stdout)
		return nil
	}
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	command := ""
	if len(rest) > 0 {
		command, rest = rest[0], rest[1:]
	}
	switch command {
	case "":
		return serve(ctx, cfg, logger, stdout)
	case "export":
		if len(rest) > 0 {
			return fmt.Errorf("export takes no arguments, got %q", rest[0])
		}
		return export(ctx, cfg, stdout)
	case "import":
		return importCommand(ctx, cfg, rest, stdout)
	default:
		return fmt.Errorf("unknown command %q (commands: export, import; run with -h for the flags)", command)
	}
}

// export writes every stored measurement as CSV, the same columns as /export.csv.
func export(ctx context.Context, cfg config.Config, w io.Writer) error {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	cw := bodycsv.NewWriter(w)
	if err := db.EachMeasurement(ctx, func(m store.Measurement) error { return cw.Write(m) }); err != nil {
		return err
	}
	return cw.Flush()
}
