package fitbit

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

const takeoutDir = "Takeout/Fitbit/Global Export Data/"

func TestReadExportZipUnsafeNames(t *testing.T) {
	for _, name := range []string{
		"../evil.json",
		"/abs/weight-2020-01-01.json",
		"Takeout/../../weight-2020-01-01.json",
		`C:\Users\weight-2020-01-01.json`,
		`c:weight-2020-01-01.json`,
		`Takeout\..\..\weight-2020-01-01.json`,
		`\\server\share\weight-2020-01-01.json`,
	} {
		t.Run(name, func(t *testing.T) {
			z := zipExport(t, []exportFile{
				{takeoutDir + "weight-2022-08-01.json", poundsFile},
				{name, poundsFile},
			})
			exp, err := ReadExportZip(bytes.NewReader(z), int64(len(z)), ExportLimits{})
			if !errors.Is(err, ErrExportUnsafe) {
				t.Errorf("err = %v, want ErrExportUnsafe", err)
			}
			if len(exp.Logs) != 0 {
				t.Errorf("got %d logs from a refused export", len(exp.Logs))
			}
		})
	}
}

func TestReadExportZipBackslashSeparators(t *testing.T) {
	// Some Windows tools write backslashes as separators; such an archive is fine.
	z := zipExport(t, []exportFile{{`JaneDoe\Personal & Account\weight-2022-08-01.json`, poundsFile}})
	exp, err := ReadExportZip(bytes.NewReader(z), int64(len(z)), ExportLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(exp.Logs), 2; got != want {
		t.Errorf("got %d logs, want %d", got, want)
	}
	if got, want := exp.Files[0], "JaneDoe/Personal & Account/weight-2022-08-01.json"; got != want {
		t.Errorf("file = %q, want %q", got, want)
	}
}

// countingReaderAt counts the compressed bytes the zip reader asks for.
type countingReaderAt struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

func TestReadExportZipBomb(t *testing.T) {
	// 16 MiB of zeros deflate to about 16 KiB. With a 64 KiB budget the reader must stop after inflating a
	// little more than the budget, having read only a small part of the compressed entry.
	const entry = 16 << 20
	z := zipExport(t, []exportFile{
		{takeoutDir + "weight-2022-01-01.json", poundsFile},
		{takeoutDir + "weight-2022-02-01.json", strings.Repeat("\x00", entry)},
	})
	cr := &countingReaderAt{r: bytes.NewReader(z)}
	_, err := ReadExportZip(cr, int64(len(z)), ExportLimits{MaxTotalBytes: 64 << 10})
	if !errors.Is(err, ErrExportLimit) {
		t.Fatalf("err = %v, want ErrExportLimit", err)
	}
	if got, limit := cr.n.Load(), int64(len(z))/2; got > limit {
		t.Errorf("read %d compressed bytes of %d, want at most %d: the entry was inflated past the limit", got, len(z), limit)
	}
}

func TestReadExportLimits(t *testing.T) {
	many := []exportFile{{takeoutDir + "weight-2022-08-01.json", poundsFile}}
	for i := range 10 {
		many = append(many, exportFile{fmt.Sprintf("Takeout/Fitbit/Other/file-%02d.csv", i), "x"})
	}
	big := []exportFile{{takeoutDir + "weight-2022-08-01.json", "[" + strings.Repeat(" ", 2048) + "]"}}
	tests := []struct {
		name  string
		files []exportFile
		lim   ExportLimits
	}{
		{"TooManyEntries", many, ExportLimits{MaxFiles: 10}},
		{"FileTooLarge", big, ExportLimits{MaxFileBytes: 1024}},
		{"TotalTooLarge", append(big, exportFile{takeoutDir + "weight-2022-09-01.json", kilosFile}), ExportLimits{MaxTotalBytes: 2100}},
	}
	for _, tt := range tests {
		for reader, read := range readBoth(t, tt.files, tt.lim) {
			t.Run(tt.name+"/"+reader, func(t *testing.T) {
				exp, err := read()
				if !errors.Is(err, ErrExportLimit) {
					t.Errorf("err = %v, want ErrExportLimit", err)
				}
				if len(exp.Logs) != 0 || len(exp.Files) != 0 {
					t.Errorf("got %+v with a limit error, want nothing", exp)
				}
			})
		}
		t.Run(tt.name+"/WithinDefaults", func(t *testing.T) {
			z := zipExport(t, tt.files)
			if _, err := ReadExportZip(bytes.NewReader(z), int64(len(z)), ExportLimits{}); err != nil {
				t.Errorf("err = %v with the default limits, want nil", err)
			}
		})
	}
}

func TestReadExportZipTruncated(t *testing.T) {
	z := zipExport(t, []exportFile{
		{takeoutDir + "weight-2022-08-01.json", poundsFile},
		{takeoutDir + "height-2022-08-01.json", heightsFile},
	})
	half := z[:len(z)/2]
	if _, err := ReadExportZip(bytes.NewReader(half), int64(len(half)), ExportLimits{}); !errors.Is(err, ErrExportCorrupt) {
		t.Errorf("err = %v, want ErrExportCorrupt", err)
	}
	// Every cut must end in an error, never a panic or a half-read export.
	for n := range len(z) {
		if exp, err := ReadExportZip(bytes.NewReader(z[:n]), int64(n), ExportLimits{}); err == nil {
			t.Errorf("cut at %d of %d: got %d logs and no error", n, len(z), len(exp.Logs))
		}
	}
}

func TestReadExportZipDamagedEntry(t *testing.T) {
	// A stored (uncompressed) entry whose bytes were changed fails its checksum: that file becomes a problem and
	// the other is still read.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range []exportFile{
		{takeoutDir + "weight-2022-08-01.json", poundsFile},
		{takeoutDir + "weight-2022-09-01.json", kilosFile},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, f.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	z := buf.Bytes()
	i := bytes.Index(z, []byte("74.95"))
	if i < 0 {
		t.Fatal("sample not found in the zip")
	}
	z[i] = '8'
	exp, err := ReadExportZip(bytes.NewReader(z), int64(len(z)), ExportLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(exp.Logs), 2; got != want {
		t.Errorf("got %d logs, want %d (the undamaged file's)", got, want)
	}
	if len(exp.Problems) != 1 || !errors.Is(exp.Problems[0].Err, ErrExportFile) {
		t.Errorf("problems = %v, want one ErrExportFile for the damaged entry", exp.Problems)
	}
}

func TestReadExportDirSkipsSymlinks(t *testing.T) {
	outside := dirExport(t, []exportFile{{"weight-2022-09-01.json", kilosFile}})
	root := dirExport(t, []exportFile{{"Jane/Personal & Account/weight-2022-08-01.json", poundsFile}})
	link := filepath.Join(root, "Jane", "Personal & Account", "weight-2022-09-01.json")
	if err := os.Symlink(filepath.Join(outside, "weight-2022-09-01.json"), link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "Jane", "Elsewhere")); err != nil {
		t.Fatal(err)
	}
	exp, err := ReadExportDir(os.DirFS(root), ExportLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(exp.Files), 1; got != want {
		t.Errorf("files = %v, want only the regular file", exp.Files)
	}
	for _, l := range exp.Logs {
		if l.Date >= "2022-09-01" {
			t.Errorf("read %+v through a symlink", l)
		}
	}
}

func TestReadExportDirMissing(t *testing.T) {
	_, err := ReadExportDir(os.DirFS(filepath.Join(t.TempDir(), "absent")), ExportLimits{})
	if err == nil || errors.Is(err, ErrNotExport) {
		t.Errorf("err = %v, want a folder error", err)
	}
}
