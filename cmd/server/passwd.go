package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/bodystats/bodystats/internal/auth"
	"github.com/bodystats/bodystats/internal/config"
	"github.com/bodystats/bodystats/internal/handlers"
	"github.com/bodystats/bodystats/internal/store"
)

// stdin is where passwd reads the new password; tests replace it.
var stdin io.Reader = os.Stdin

// passwd reads a new password from standard input (one line) and stores its argon2id hash. Every signed-in
// session ends. It works while a server runs: the server reads the hash from the database on each request.
func passwd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("passwd takes no arguments (it reads the password from standard input), got %q", args[0])
	}
	if f, ok := stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintf(stderr, "New password (at least %d characters; it is shown as you type), then Enter: ", auth.MinPasswordChars)
		}
	}
	password, err := readPasswordLine(stdin)
	if err != nil {
		return err
	}
	if err := auth.CheckNew(password); err != nil {
		return fmt.Errorf("passwd: %w; the password is unchanged", err)
	}
	hash, err := auth.Hash(password, auth.DefaultParams)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetPassword(ctx, hash, nil); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Password set. Every browser was signed out; sign in again with the new password.")
	return nil
}

// readPasswordLine reads one line, without its line ending. Nothing at all on standard input is an error, so a
// mistaken `passwd < /dev/null` keeps the old password.
func readPasswordLine(r io.Reader) (string, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, auth.MaxPasswordBytes+3), auth.MaxPasswordBytes+3)
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("passwd: read standard input: %w", err)
	}
	if line == "" {
		return "", errors.New("passwd: nothing on standard input; give the new password as one line (the password is unchanged)")
	}
	if !strings.HasSuffix(line, "\n") && len(line) > auth.MaxPasswordBytes {
		return "", fmt.Errorf("passwd: %w; the password is unchanged", auth.ErrTooLong)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("passwd: the line on standard input is empty (the password is unchanged)")
	}
	return line, nil
}

// authOptions wires sign-in for serve: the trusted proxies, the idle time, and on a first run beyond loopback
// a fresh setup code (printSetupCode shows it).
func authOptions(ctx context.Context, cfg config.Config, ln net.Listener, db *store.DB, logger *slog.Logger) (handlers.AuthOptions, error) {
	proxies, err := auth.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		return handlers.AuthOptions{}, err
	}
	// Beyond this machine: a listener on another address, a public base URL, or a proxy or host name that the
	// settings already name.
	exposed := !loopback(ln.Addr()) || !auth.LoopbackURL(cfg.BaseURL) || strings.TrimSpace(cfg.TrustedProxies) != "" || !loopbackHosts(cfg.AllowedHosts)
	o := handlers.AuthOptions{Exposed: exposed, TrustedProxies: proxies, SessionIdle: cfg.SessionIdleFor()}
	if o.SessionIdle == 0 {
		o.SessionIdle = handlers.DefaultSessionMax
	}
	if _, err := db.PasswordHash(ctx); !errors.Is(err, store.ErrNotFound) {
		return o, err // a password is set (err nil), or the database failed
	}
	// A setup code is made on every start without a password: on loopback it is announced only if a request
	// shows the app is reached from elsewhere after all (a reverse proxy on this machine).
	o.SetupCode = setupCode()
	if exposed {
		logger.Warn("no password is set and bodystats can be reached beyond this machine: it serves only the set-a-password page until one is set")
	}
	return o, nil
}

// loopbackHosts reports whether every host name in a BODYSTATS_ALLOWED_HOSTS list is a loopback one.
func loopbackHosts(list string) bool {
	for _, h := range strings.Split(list, ",") {
		if h = strings.TrimSpace(h); h != "" && !auth.LoopbackURL("http://"+h) {
			return false
		}
	}
	return true
}

// printSetupCode shows the first-run code on stdout (docker logs shows it), never in the structured log.
func printSetupCode(stdout io.Writer, cfg config.Config, code string) {
	if code == "" {
		return
	}
	fmt.Fprintf(stdout, "No password is set. Open %s/setup-password and enter this one-time setup code:\n\n    %s\n\n"+
		"or run `bodystats passwd` where the server runs. Until then no page shows any data.\n", cfg.BaseURL, code)
}

// setupCode is 12 characters from an alphabet without look-alikes (60 bits), as XXXX-XXXX-XXXX.
func setupCode() string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 12)
	rand.Read(b)
	var s strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return s.String()
}
