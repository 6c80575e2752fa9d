// Command server runs bodystats: a local web app for a Fitbit weight, BMI and body-fat history.
//
//	server [flags]              serve http://localhost:8080 (demo mode when no provider is configured)
//	server [flags] export       write every stored measurement as CSV to stdout
//
// Run with -h for the flags; every flag has an environment variable (CONTRACT.md).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // profile time zones resolve on machines (and images) without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bodystats:", err)
		os.Exit(1)
	}
}
