package fitbit

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// ExportLog is one weigh-in from an export's weight-YYYY-MM-DD.json, as written: exports carry no unit field,
// so Weight is in whatever unit the account displayed (pounds or kilograms) and the importer decides which.
type ExportLog struct {
	LogID  int64    // 0 when absent
	Date   string   // YYYY-MM-DD, normalised from the file's MM/DD/YY (or MM/DD/YYYY, YYYY-MM-DD)
	Time   string   // HH:MM:SS; "23:59:59" when the record has none, as the Web API gives untimed weigh-ins
	Weight float64  // in the export's unit, unconverted
	BMI    *float64 // nil when absent or 0
	Fat    *float64 // percent; nil when absent or 0
	Source string   // "" when absent
	File   string   // path inside the export, for messages
}

// ExportHeight is one height reading from height-YYYY-MM-DD.json. Fitbit writes these as
// [{"dateTime":"MM/DD/YY HH:MM:SS","value":"1778"}]: Value is in millimetres (a string or a number in the file).
type ExportHeight struct {
	Date  string // YYYY-MM-DD
	Value float64
	File  string
}

// FileProblem is a file inside the export that could not be read, or whose bad records were skipped; the rest
// of the export is still imported. Err wraps ErrExportFile (the whole file was skipped) or ErrExportRecords
// (some records were skipped, the others kept); its text is one short sentence that quotes no more than
// 40 characters of the file.
type FileProblem struct {
	File string
	Err  error
}

// Export is what an export held: weigh-ins sorted by Date, Time and LogID, each logId once.
type Export struct {
	Logs     []ExportLog
	Heights  []ExportHeight // sorted by Date
	Files    []string       // the weight and height files read, in path order
	Problems []FileProblem  // in path order
}

// ExportLimits bound what an export may hold; zero values mean the defaults.
type ExportLimits struct {
	MaxFiles      int   // entries in a zip, or entries walked in a folder; default 100000
	MaxTotalBytes int64 // total uncompressed size of the files actually read; default 512 MiB
	MaxFileBytes  int64 // one JSON file; default 32 MiB
}

// Default export limits. A real archive holds a few thousand files and its weight files are kilobytes each.
const (
	DefaultExportMaxFiles      = 100000
	DefaultExportMaxTotalBytes = 512 << 20
	DefaultExportMaxFileBytes  = 32 << 20
)

func (l ExportLimits) withDefaults() ExportLimits {
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultExportMaxFiles
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultExportMaxTotalBytes
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultExportMaxFileBytes
	}
	return l
}

// Errors of a whole export, for errors.Is. When a reader returns one of them it returns no data.
var (
	ErrExportLimit   = errors.New("fitbit: export exceeds a safety limit") // the whole import must stop
	ErrNotExport     = errors.New("fitbit: no Fitbit weight files found")
	ErrExportUnsafe  = errors.New("fitbit: export holds an unsafe file name") // absolute, "..", or a drive
	ErrExportCorrupt = errors.New("fitbit: export is not a readable zip archive")
)

// Kinds of FileProblem, for errors.Is on FileProblem.Err.
var (
	ErrExportFile    = errors.New("fitbit: skipped file")
	ErrExportRecords = errors.New("fitbit: skipped records")
)

type fileKind int

const (
	notExportFile fileKind = iota
	weightFile
	heightFile
)

var exportFileName = regexp.MustCompile(`^(weight|height)-\d{4}-\d{2}-\d{2}\.json$`)

// exportFolders are the folders Fitbit has put weight and height files in: the old account archive, the
// later account archive, and Google Takeout.
var exportFolders = []string{"user-site-export", "Personal & Account", "Global Export Data"}

// classify tells whether a slash-separated, cleaned path inside an export is a weight or height file. It looks
// only at the last components, so any top folder name and depth works; a file at the root or in a single top
// folder counts too (someone who zipped or picked a folder of just these files).
func classify(p string) fileKind {
	parts := strings.Split(p, "/")
	m := exportFileName.FindStringSubmatch(parts[len(parts)-1])
	if m == nil {
		return notExportFile
	}
	ok := len(parts) <= 2
	for _, dir := range exportFolders {
		if len(parts) >= 2 && strings.EqualFold(parts[len(parts)-2], dir) {
			ok = true
		}
	}
	if !ok {
		return notExportFile
	}
	if m[1] == "weight" {
		return weightFile
	}
	return heightFile
}

// collector reads the matched files of one export under its limits; both readers feed it in path order.
type collector struct {
	lim     ExportLimits
	total   int64
	weights int
	exp     Export
}

// read reads one matched file through open. A failure to open or read the file becomes a FileProblem; only a
// limit stops the export.
func (c *collector) read(name string, kind fileKind, open func() (io.ReadCloser, error)) error {
	if kind == weightFile {
		c.weights++
	}
	rc, err := open()
	if err != nil {
		c.problem(name, fmt.Errorf("%w: cannot open it: %w", ErrExportFile, err))
		return nil
	}
	defer rc.Close()
	data, err := c.readLimited(name, rc)
	if err != nil {
		if errors.Is(err, ErrExportLimit) {
			return err
		}
		c.problem(name, fmt.Errorf("%w: cannot read it: %w", ErrExportFile, err))
		return nil
	}
	c.exp.Files = append(c.exp.Files, name)
	var p error
	if kind == weightFile {
		var logs []ExportLog
		logs, p = parseWeightFile(data)
		for i := range logs {
			logs[i].File = name
		}
		c.exp.Logs = append(c.exp.Logs, logs...)
	} else {
		var hs []ExportHeight
		hs, p = parseHeightFile(data)
		for i := range hs {
			hs[i].File = name
		}
		c.exp.Heights = append(c.exp.Heights, hs...)
	}
	if p != nil {
		c.problem(name, p)
	}
	return nil
}

// readLimited reads at most the file limit and what is left of the total limit, never trusting a size the
// archive declares: a zip bomb stops after the limit, not after it has been inflated.
func (c *collector) readLimited(name string, r io.Reader) ([]byte, error) {
	room := c.lim.MaxTotalBytes - c.total
	n := min(c.lim.MaxFileBytes, room)
	data, err := io.ReadAll(io.LimitReader(r, n+1))
	c.total += int64(len(data))
	if int64(len(data)) > n {
		if n < c.lim.MaxFileBytes {
			return nil, fmt.Errorf("fitbit: export files total more than %d bytes: %w", c.lim.MaxTotalBytes, ErrExportLimit)
		}
		return nil, fmt.Errorf("fitbit: export file %s is larger than %d bytes: %w", clip(name), c.lim.MaxFileBytes, ErrExportLimit)
	}
	return data, err
}

func (c *collector) problem(name string, err error) {
	c.exp.Problems = append(c.exp.Problems, FileProblem{File: name, Err: err})
}

// finish drops repeated weigh-ins (the same logId in two files, or an identical record without one), keeping
// the first in path order, and sorts what is left.
func (c *collector) finish() (Export, error) {
	if c.weights == 0 {
		return Export{}, ErrNotExport
	}
	type key struct {
		log  ExportLog
		bmi  float64
		fat  float64
		hasB bool
		hasF bool
	}
	seenID := make(map[int64]bool)
	seen := make(map[key]bool)
	logs := c.exp.Logs[:0]
	for _, l := range c.exp.Logs {
		if l.LogID != 0 {
			if seenID[l.LogID] {
				continue
			}
			seenID[l.LogID] = true
		} else {
			k := key{log: l}
			k.log.File, k.log.BMI, k.log.Fat = "", nil, nil
			if l.BMI != nil {
				k.bmi, k.hasB = *l.BMI, true
			}
			if l.Fat != nil {
				k.fat, k.hasF = *l.Fat, true
			}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		logs = append(logs, l)
	}
	sort.SliceStable(logs, func(i, j int) bool {
		a, b := logs[i], logs[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if a.Time != b.Time {
			return a.Time < b.Time
		}
		return a.LogID < b.LogID
	})
	c.exp.Logs = logs

	type hkey struct {
		date  string
		value float64
	}
	hseen := make(map[hkey]bool)
	hs := c.exp.Heights[:0]
	for _, h := range c.exp.Heights {
		if k := (hkey{h.Date, h.Value}); !hseen[k] {
			hseen[k] = true
			hs = append(hs, h)
		}
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date < hs[j].Date })
	c.exp.Heights = hs
	sort.SliceStable(c.exp.Problems, func(i, j int) bool { return c.exp.Problems[i].File < c.exp.Problems[j].File })
	return c.exp, nil
}

// clip quotes at most 40 characters of s, so that no message carries much of a file or a hostile name.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return fmt.Sprintf("%q…", string(r[:40]))
	}
	return fmt.Sprintf("%q", s)
}
