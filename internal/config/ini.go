package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"gopkg.in/ini.v1"
)

// iniOptions keep values whole: secrets may contain " #" or ";" (which ini.v1
// would otherwise strip as inline comments) or end in a backslash (which it
// would treat as a line continuation). Shadows and repeated sections are
// allowed only so that duplicates can be reported rather than silently merged,
// as Python's configparser does in strict mode.
var iniOptions = ini.LoadOptions{
	IgnoreInlineComment:    true,
	IgnoreContinuation:     true,
	AllowShadows:           true,
	AllowNonUniqueSections: true,
}

// readConfigFile decides which file to read (flag > environment > default)
// and merges its values under anything already set.
func (l *loader) readConfigFile() error {
	cf := lookupEnv("BODYSTATS_CONFIG")
	v, explicit := l.vals[cf]
	if !explicit {
		v = value{s: cf.def}
	}
	l.configFile = v.s
	if v.s == "" {
		return l.errf(cf, "is empty")
	}
	data, err := os.ReadFile(v.s)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return l.errf(cf, "names a config file that does not exist")
	case err != nil:
		return fmt.Errorf("config: read config file: %w", err)
	}
	return l.parseINI(data)
}

func (l *loader) parseINI(data []byte) error {
	file, err := ini.LoadSources(iniOptions, data)
	if err != nil {
		return l.iniParseError(data, err)
	}
	seenSections := make(map[string]bool)
	seenKeys := make(map[*field]bool)
	for _, sec := range file.Sections() {
		if sec.Name() == ini.DefaultSection {
			if keys := sec.Keys(); len(keys) > 0 {
				return fmt.Errorf("config: %s: key %s comes before any [section]", l.configFile, strings.ToUpper(keys[0].Name()))
			}
			continue
		}
		section := canonicalSection(sec.Name())
		if section == "" {
			return fmt.Errorf("config: %s: unknown section [%s] (known: [%s], [%s])", l.configFile, sec.Name(), sectionLogin, sectionApp)
		}
		if seenSections[section] {
			return fmt.Errorf("config: %s: section [%s] appears more than once", l.configFile, section)
		}
		seenSections[section] = true
		for _, k := range sec.Keys() {
			name := strings.ToUpper(k.Name())
			f := iniField(section, name)
			if f == nil {
				return fmt.Errorf("config: %s [%s]: unknown key %s%s", l.configFile, section, name, misplacedHint(name))
			}
			if seenKeys[f] || len(k.ValueWithShadows()) > 1 {
				return fmt.Errorf("config: %s [%s]: key %s appears more than once", l.configFile, section, name)
			}
			seenKeys[f] = true
			if s := k.String(); s != "" {
				if _, ok := l.vals[f]; !ok {
					l.vals[f] = value{s: s, from: fromINI}
				}
			}
		}
	}
	return nil
}

// canonicalSection matches section names case-insensitively: configparser
// would not, but nothing is gained by rejecting [Bodystats].
func canonicalSection(name string) string {
	for _, s := range []string{sectionLogin, sectionApp} {
		if strings.EqualFold(name, s) {
			return s
		}
	}
	return ""
}

func iniField(section, key string) *field {
	for i := range fields {
		if fields[i].section == section && fields[i].key == key {
			return &fields[i]
		}
	}
	return nil
}

// misplacedHint helps when a known setting is written in the wrong section.
func misplacedHint(name string) string {
	f := lookup(name)
	switch {
	case f == nil:
		return ""
	case f.section == "":
		return " (it can be set only by flag or environment)"
	}
	return fmt.Sprintf(" (it belongs in [%s] as %s)", f.section, f.key)
}

// iniParseError names the offending line by number: ini.v1's own message
// quotes the line, which may hold a secret.
func (l *loader) iniParseError(data []byte, err error) error {
	var line string
	var dnf ini.ErrDelimiterNotFound
	var ekn ini.ErrEmptyKeyName
	switch {
	case errors.As(err, &dnf):
		line = dnf.Line
	case errors.As(err, &ekn):
		line = ekn.Line
	}
	if line = strings.TrimSpace(line); line != "" {
		for i, l2 := range bytes.Split(data, []byte("\n")) {
			if strings.TrimSpace(string(l2)) == line {
				return fmt.Errorf("config: %s: line %d is neither a [section] nor a key = value pair", l.configFile, i+1)
			}
		}
	}
	return fmt.Errorf("config: %s: cannot parse the file as ini (check for an unclosed [section] or quote)", l.configFile)
}
