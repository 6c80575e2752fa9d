package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
)

const tokenUsage = "token create NAME | token list | token revoke NAME"

// tokenCommand runs `token create NAME`, `token list` and `token revoke NAME`. It works while a server runs:
// the server reads tokens from the database on each request, so a change takes effect at once.
func tokenCommand(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("token: say what to do: %s", tokenUsage)
	}
	verb, args := args[0], args[1:]
	want := 1
	if verb == "list" {
		want = 0
	}
	if verb != "create" && verb != "list" && verb != "revoke" {
		return fmt.Errorf("token: unknown action %q: %s", verb, tokenUsage)
	}
	if len(args) != want {
		return fmt.Errorf("token %s: wrong number of arguments: %s", verb, tokenUsage)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch verb {
	case "create":
		return tokenCreate(ctx, db, args[0], stdout, stderr)
	case "revoke":
		if err := db.RevokeAPIToken(ctx, args[0]); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("token revoke: there is no token named %q (token list names them)", args[0])
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Revoked %s: it no longer works. The weigh-ins it pushed stay in the history; remove its source on the Sources page to delete them.\n", args[0])
		return nil
	}
	return tokenList(ctx, db, stdout)
}

// tokenCreate prints the new token alone on standard output, so TOKEN=$(bodystats token create NAME) captures
// it, and how to use it on standard error. Only its hash is stored: it cannot be shown again.
func tokenCreate(ctx context.Context, db *store.DB, name string, stdout, stderr io.Writer) error {
	if err := handlers.CheckTokenName(name); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	tok := handlers.NewAPIToken()
	if _, err := db.CreateAPIToken(ctx, name, auth.TokenHash(tok)); errors.Is(err, store.ErrExists) {
		return fmt.Errorf("token create: a token named %q exists; pick another name or revoke it first", name)
	} else if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	fmt.Fprintf(stderr, "This is the API token %q. Copy it now: it is not shown again. Send it as the header\n"+
		"Authorization: Bearer TOKEN (never in an address). Its weigh-ins show as a source on the Sources page.\n", name)
	return nil
}

func tokenList(ctx context.Context, db *store.DB, stdout io.Writer) error {
	list, err := db.APITokens(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "No API tokens. Make one with: token create NAME")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED\tLAST USED")
	for _, t := range list {
		used := "never"
		if !t.LastUsedAt.IsZero() {
			used = t.LastUsedAt.UTC().Format(time.DateTime) + " UTC"
		}
		fmt.Fprintf(tw, "%s\t%s UTC\t%s\n", t.Name, t.CreatedAt.UTC().Format(time.DateTime), used)
	}
	return tw.Flush()
}
