package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/emulator"
)

func TestImportCommand(t *testing.T) {
	logs := emulator.New(emulator.Options{Years: 1}).WeightLogs()
	var zip bytes.Buffer
	if err := emulator.WriteExport(&zip, logs, emulator.ExportOptions{Layout: emulator.LayoutPersonal, Pounds: true}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "MyFitbitData.zip")
	if err := os.WriteFile(path, zip.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	runOK := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(t.Context(), append([]string{"-data-dir", dataDir}, args...), nil, &out, &errOut); err != nil {
			t.Fatalf("run %v: %v\n%s", args, err, errOut.String())
		}
		return out.String()
	}

	out := runOK("import", path)
	for _, want := range []string{"(Fitbit export (zip))", "Unit: pounds", "SamSample/Personal & Account/weight-", "Total: " + strconv.Itoa(len(logs)) + " added, 0 merged"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if out := runOK("import", path, "--unit", "lb"); !strings.Contains(out, "Total: 0 added, "+strconv.Itoa(len(logs))+" merged") || !strings.Contains(out, "Unit: you chose it") {
		t.Errorf("re-import with --unit after the path:\n%s", out)
	}
	if out := runOK("export"); strings.Count(out, "\n") != len(logs)+1 {
		t.Errorf("export after import has %d lines, want %d", strings.Count(out, "\n"), len(logs)+1)
	}
	for _, args := range [][]string{{"import"}, {"import", "--unit", "furlongs", path}, {"import", filepath.Join(t.TempDir(), "missing.zip")}} {
		if err := run(t.Context(), append([]string{"-data-dir", dataDir}, args...), nil, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("run %v = %v, want a one-line error", args, err)
		}
	}
}
