package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// origin is where a value came from, in increasing precedence.
type origin int

const (
	fromDefault origin = iota
	fromINI
	fromEnv
	fromFlag
)

type value struct {
	s    string
	from origin
}

// loader carries what Load has learnt so far, so errors can say where a value came from.
type loader struct {
	configFile string
	vals       map[*field]value
}

// Load reads the settings from args (the command line without the program
// name), environ (os.Environ() form) and the config file. Flag parsing stops at
// the first non-flag argument; it and everything after it (a subcommand and
// the subcommand's own flags) are returned untouched. -h and -help return an
// error wrapping flag.ErrHelp; print Usage then.
//
// An empty environment variable or config.ini value counts as unset; a flag
// given an empty value is set to "" and checked like any other value.
func Load(args []string, environ []string) (Config, []string, error) {
	l := &loader{vals: make(map[*field]value, len(fields))}
	rest, err := l.parseFlags(args)
	if err != nil {
		return Config{}, nil, err
	}
	if err := l.readEnv(environ); err != nil {
		return Config{}, nil, err
	}
	if err := l.readConfigFile(); err != nil {
		return Config{}, nil, err
	}
	c, err := l.build()
	if err != nil {
		return Config{}, nil, err
	}
	return c, rest, nil
}

// stringFlag records only that a flag was given, so precedence can be decided
// per setting afterwards. boolean marks -demo, which takes no argument.
type stringFlag struct {
	l       *loader
	f       *field
	boolean bool
}

func (s stringFlag) String() string { return "" }

func (s stringFlag) Set(v string) error {
	s.l.vals[s.f] = value{s: v, from: fromFlag}
	return nil
}

func (s stringFlag) IsBoolFlag() bool { return s.boolean }

func (l *loader) parseFlags(args []string) ([]string, error) {
	fs := flag.NewFlagSet("bodystats", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for i := range fields {
		f := &fields[i]
		if f.flag != "" {
			fs.Var(stringFlag{l: l, f: f, boolean: f.kind == kindBool}, f.flag, f.help)
		}
	}
	if err := fs.Parse(args); err != nil {
		return nil, flagError(err)
	}
	return fs.Args(), nil
}

// flagError turns the flag package's message into one line that never repeats
// a value: a mistyped flag can swallow a secret as its argument.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return fmt.Errorf("config: %w", err)
	}
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		name := strings.TrimPrefix(msg, "flag provided but not defined: ")
		return fmt.Errorf("config: command line: unknown flag %s (run with -help to list them)", name)
	case strings.HasPrefix(msg, "flag needs an argument: "):
		name := strings.TrimPrefix(msg, "flag needs an argument: ")
		return fmt.Errorf("config: command line: flag %s needs a value", name)
	case strings.HasPrefix(msg, "bad flag syntax: "):
		return errors.New("config: command line: an argument starting with - is not a flag (write flags as -name or -name=value)")
	}
	return errors.New("config: command line: cannot parse the flags (run with -help to list them)")
}

func (l *loader) readEnv(environ []string) error {
	seen := make(map[string]bool)
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			continue // like os.Getenv, the first of duplicate entries wins
		}
		seen[k] = true
		f := lookupEnv(k)
		if f == nil {
			if strings.HasPrefix(k, "BODYSTATS_") {
				return fmt.Errorf("config: environment: unknown variable %s (known: %s)", k, strings.Join(appEnvNames(), ", "))
			}
			continue
		}
		if v == "" {
			continue
		}
		if cur, ok := l.vals[f]; !ok || cur.from < fromEnv {
			l.vals[f] = value{s: v, from: fromEnv}
		}
	}
	return nil
}

func lookupEnv(name string) *field {
	for i := range fields {
		if fields[i].env != "" && fields[i].env == name {
			return &fields[i]
		}
	}
	return nil
}

func appEnvNames() []string {
	var names []string
	for _, f := range fields {
		if strings.HasPrefix(f.env, "BODYSTATS_") {
			names = append(names, f.env)
		}
	}
	slices.Sort(names)
	return names
}

// where names the source of v for an error message, e.g. "environment" or
// "config.ini [Login Parameters]".
func (l *loader) where(f *field, v value) string {
	switch v.from {
	case fromFlag:
		return "command line"
	case fromEnv:
		return "environment"
	case fromINI:
		return l.configFile + " [" + f.section + "]"
	}
	return "default"
}

// errf formats "config: WHERE: NAME <msg>" for the value a field holds.
func (l *loader) errf(f *field, format string, args ...any) error {
	v := l.vals[f]
	return fmt.Errorf("config: %s: %s "+format, append([]any{l.where(f, v), f.nameIn(v.from)}, args...)...)
}
