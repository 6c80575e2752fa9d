package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/bodycsv"
	"github.com/bodystats/bodystats/internal/config"
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
		unit, err := exportUnit(rest, stderr)
		if err != nil {
			return err
		}
		return export(ctx, cfg, unit, stdout)
	case "import":
		return importCommand(ctx, cfg, rest, stdout)
	case "healthcheck":
		return healthcheck(ctx, cfg)
	case "passwd":
		return passwd(ctx, cfg, rest, stdout, stderr)
	case "token":
		return tokenCommand(ctx, cfg, rest, stdout, stderr)
	case "backup":
		return backupCommand(ctx, cfg, rest, stdout)
	case "restore":
		return restoreCommand(ctx, cfg, rest, stdout)
	default:
		return fmt.Errorf("unknown command %q (commands: export, import, passwd, token, backup, restore, healthcheck; run with -h for the flags)", command)
	}
}

// exportUnit reads export's one flag, -unit kg|lb|st (default kg), as /export.csv?unit= does.
func exportUnit(args []string, stderr io.Writer) (body.Unit, error) {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("unit", "kg", "weight unit of the export: kg, lb or st")
	if err := fs.Parse(args); err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("export takes no arguments besides -unit, got %q", fs.Arg(0))
	}
	u, err := body.ParseUnit(*name)
	if err != nil {
		return "", fmt.Errorf("export: -unit %q: use kg, lb or st", *name)
	}
	return u, nil
}

// export writes the history as CSV, each weigh-in once, the same columns as /export.csv, weights in unit.
func export(ctx context.Context, cfg config.Config, unit body.Unit, w io.Writer) error {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.History(ctx)
	if err != nil {
		return err
	}
	cw := bodycsv.NewWriterIn(w, unit)
	for _, m := range rows {
		if err := cw.Write(m); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// healthcheck asks the running server's /healthz on this machine, for a container's HEALTHCHECK: the runtime
// image has no curl.
func healthcheck(ctx context.Context, cfg config.Config) error {
	_, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort("127.0.0.1", port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %d", resp.StatusCode)
	}
	return nil
}
