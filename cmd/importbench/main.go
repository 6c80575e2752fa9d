// Command importbench measures the Apple Health reader against inflating the same zip entry: it writes
// synthetic exports of the given sizes to a temporary folder, then times, in child processes of itself,
// io.Copy(io.Discard, entry) and sniffing the zip then reading every record through formats.OpenZip, and prints their ratio and each child's peak RSS.
// With -import it also times the whole import (importer.Import into a new SQLite database: sniffing,
// reading, checks, the transaction) against the same inflate.
//
//	go run ./cmd/importbench -sizes 100MB,1GB -import
package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/bodystats/bodystats/internal/formats"
	"github.com/bodystats/bodystats/internal/formats/applehealth/ahgen"
	"github.com/bodystats/bodystats/internal/importer"
	"github.com/bodystats/bodystats/internal/store"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "importbench:", err)
		os.Exit(1)
	}
}

// result is what a child prints.
type result struct {
	Nanos   int64
	Bytes   int64
	Records int64
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("importbench", flag.ContinueOnError)
	sizes := fs.String("sizes", "100MB,1GB", "XML sizes of the synthetic exports, comma-separated (KB, MB, GB)")
	runs := fs.Int("runs", 3, "measurements of each kind per size; the fastest counts")
	dir := fs.String("dir", "", "folder for the generated zips (default: a new temporary folder, removed after)")
	withImport := fs.Bool("import", false, "also time the whole import through the importer into a new database")
	child := fs.String("child", "", "internal: inflate, read or import, on -zip")
	zipPath := fs.String("zip", "", "internal: the zip a child measures")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *child != "" {
		return runChild(*child, *zipPath, stdout)
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "importbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	kinds := []string{"inflate", "read"}
	header := "xml\tzip\tweigh-ins\tinflate\tread\tread/inflate\tinflate RSS\tread RSS\t"
	if *withImport {
		kinds = append(kinds, "import")
		header += "import\timport/inflate\timport RSS\t"
	}
	fmt.Fprintln(tw, header)
	for _, s := range strings.Split(*sizes, ",") {
		size, err := parseSize(s)
		if err != nil {
			return err
		}
		path := filepath.Join(*dir, strings.TrimSpace(s)+".zip")
		st, err := generate(path, size)
		if err != nil {
			return err
		}
		zst, _ := os.Stat(path)
		var best [3]time.Duration
		var rss [3]int64
		var n int64
		for i := 0; i < *runs; i++ {
			for k, kind := range kinds {
				r, maxrss, err := measure(kind, path)
				if err != nil {
					return err
				}
				d := time.Duration(r.Nanos)
				if best[k] == 0 || d < best[k] {
					best[k] = d
				}
				rss[k] = max(rss[k], maxrss)
				if kind == "read" {
					n = r.Records
				}
				if kind == "import" && r.Records != st.WeighIns {
					return fmt.Errorf("%s: imported %d weigh-ins, the generator wrote %d", s, r.Records, st.WeighIns)
				}
			}
		}
		if n != st.WeighIns {
			return fmt.Errorf("%s: read %d weigh-ins, the generator wrote %d", s, n, st.WeighIns)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2fs\t%.2fs\t%.2f×\t%d MB\t%d MB\t", mb(st.XMLBytes), mb(zst.Size()), n,
			best[0].Seconds(), best[1].Seconds(), best[1].Seconds()/best[0].Seconds(), rss[0]>>20, rss[1]>>20)
		if *withImport {
			fmt.Fprintf(tw, "%.2fs\t%.2f×\t%d MB\t", best[2].Seconds(), best[2].Seconds()/best[0].Seconds(), rss[2]>>20)
		}
		fmt.Fprintln(tw)
		os.Remove(path)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(stdout, "goal: read/inflate ≤ 1.5×, read RSS ≤ 64 MB (import: the same reading plus the checks and one transaction)")
	return err
}

func generate(path string, size int64) (ahgen.Stats, error) {
	f, err := os.Create(path)
	if err != nil {
		return ahgen.Stats{}, err
	}
	st, err := ahgen.WriteZip(f, size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return st, err
}

// measure runs this binary as a child doing kind on path and returns what it printed and its peak RSS.
func measure(kind, path string) (result, int64, error) {
	exe, err := os.Executable()
	if err != nil {
		return result{}, 0, err
	}
	cmd := exec.Command(exe, "-child", kind, "-zip", path)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return result{}, 0, fmt.Errorf("child %s: %w", kind, err)
	}
	var r result
	if err := json.Unmarshal(out, &r); err != nil {
		return result{}, 0, fmt.Errorf("child %s said %q: %w", kind, out, err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return r, 0, errors.New("no rusage on this system")
	}
	return r, ru.Maxrss << 10, nil // Linux gives kilobytes
}

func runChild(kind, path string, stdout io.Writer) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	var r result
	t0 := time.Now()
	switch kind {
	case "inflate":
		entries := 0
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, "/export.xml") {
				rc, err := f.Open()
				if err != nil {
					return err
				}
				r.Bytes, err = io.Copy(io.Discard, rc)
				rc.Close()
				if err != nil {
					return err
				}
				entries++
			}
		}
		if entries != 1 {
			return fmt.Errorf("%d export.xml entries", entries)
		}
	case "read":
		f, err := formats.SniffZip(&zr.Reader)
		if err != nil {
			return err
		}
		if f != formats.AppleHealth {
			return fmt.Errorf("sniffed %s", f.ID)
		}
		z, err := formats.OpenZip(f, &zr.Reader)
		if err != nil {
			return err
		}
		for {
			if _, err := z.Next(); err != nil {
				if err != io.EOF {
					return err
				}
				break
			}
			r.Records++
		}
		z.Close()
	case "import":
		n, err := importOnce(path)
		if err != nil {
			return err
		}
		r.Records = n
	default:
		return fmt.Errorf("unknown child %q", kind)
	}
	r.Nanos = time.Since(t0).Nanoseconds()
	return json.NewEncoder(stdout).Encode(r)
}

// importOnce imports the zip at path through the importer into a new database in a temporary folder and
// returns the weigh-ins it added (the database's time counts: it is part of an import).
func importOnce(path string) (int64, error) {
	dir, err := os.MkdirTemp("", "importbench-db-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "bodystats.db"), store.Options{Key: make([]byte, 32)})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	sum, err := importer.Import(ctx, db, f, fi.Size(), importer.Options{Name: filepath.Base(path)})
	if err != nil {
		return 0, err
	}
	return int64(sum.Added), nil
}

func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = rest, u.m
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want a number with KB, MB or GB", s)
	}
	return int64(n * float64(mult)), nil
}

func mb(n int64) string { return fmt.Sprintf("%d MB", n>>20) }
