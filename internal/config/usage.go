package config

import (
	"fmt"
	"io"
	"strings"
)

// Usage prints every flag with its environment variable, config.ini key and
// default. main prints it for -h/-help and after a flag error.
func Usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("usage: bodystats [flags] [import PATH | export [-unit kg|lb|st] | backup PATH | restore PATH | healthcheck]\n\n")
	b.WriteString("Flags win over environment variables, which win over config.ini, which wins over defaults.\n\n")
	for _, f := range fields {
		if f.flag == "" {
			continue
		}
		arg := " value"
		if f.kind == kindBool {
			arg = ""
		}
		fmt.Fprintf(&b, "  -%s%s\n", f.flag, arg)
		fmt.Fprintf(&b, "        %s\n", f.help)
		fmt.Fprintf(&b, "        env %s", f.env)
		if f.section != "" {
			fmt.Fprintf(&b, ", config.ini [%s] %s", f.section, f.key)
		}
		if f.def != "" {
			fmt.Fprintf(&b, ", default %q", f.def)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nconfig.ini only:\n")
	for _, f := range fields {
		if f.flag == "" {
			fmt.Fprintf(&b, "  [%s] %s\n        %s\n", f.section, f.key, f.help)
		}
	}
	b.WriteString("\nconfig.ini example (values are taken whole: # and ; inside them are kept):\n")
	b.WriteString("  [Login Parameters]\n  C_KEY = ...\n  C_SECRET = ...\n\n")
	b.WriteString("  [bodystats]\n  BODYSTATS_ADDR = localhost:9000\n")
	io.WriteString(w, b.String())
}
