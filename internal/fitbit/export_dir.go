package fitbit

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
)

// errStopWalk ends a folder walk early without being an error of its own.
var errStopWalk = errors.New("stop walk")

// ReadExportDir reads the weight and height files of an unpacked export, for example os.DirFS(path) or, to be
// sure no symlink leads out of the folder, root.FS() of an os.Root. Only regular files are read: symlinks are
// skipped whatever the FS does with them. Errors are those of ReadExportZip; a folder that cannot be listed is
// reported in Problems.
func ReadExportDir(fsys fs.FS, lim ExportLimits) (Export, error) {
	lim = lim.withDefaults()
	type entry struct {
		name string
		kind fileKind
	}
	var entries []entry
	var problems []FileProblem
	var limitErr error
	walked := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			problems = append(problems, FileProblem{File: p, Err: fmt.Errorf("%w: cannot list it: %w", ErrExportFile, err)})
			return nil // WalkDir skips a folder it could not read
		}
		walked++
		if walked > lim.MaxFiles {
			limitErr = fmt.Errorf("fitbit: export folder has more than %d entries: %w", lim.MaxFiles, ErrExportLimit)
			return errStopWalk
		}
		if d.Type().IsRegular() {
			if kind := classify(p); kind != notExportFile {
				entries = append(entries, entry{p, kind})
			}
		}
		return nil
	})
	if limitErr != nil {
		return Export{}, limitErr
	}
	if err != nil {
		return Export{}, fmt.Errorf("fitbit: read export folder: %w", err)
	}
	c := collector{lim: lim}
	c.exp.Problems = problems
	// WalkDir's order puts "a/b" after "a-c"; sorting the whole paths gives the zip reader's order.
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	for _, e := range entries {
		open := func() (io.ReadCloser, error) { return fsys.Open(e.name) }
		if err := c.read(e.name, e.kind, open); err != nil {
			return Export{}, err
		}
	}
	return c.finish()
}
