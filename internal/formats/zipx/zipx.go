// Package zipx lists and opens the entries of an export zip safely: a cap on entries and on inflated bytes,
// names that try to leave the archive refused, encrypted entries reported, and nothing ever written to disk.
package zipx

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/bodystats/bodystats/internal/formats/core"
)

// Limits of one archive. A real Apple Health export holds a few thousand entries and inflates to 1-4 GB.
const (
	MaxEntries    = 100_000
	MaxEntryBytes = 32 << 30 // one entry, inflated
	MaxRatio      = 300      // inflated/compressed: real exports are 10-50, a bomb of zeros ~1000
)

// Entry is one regular file of an archive, with its cleaned slash-separated name.
type Entry struct {
	Name string
	File *zip.File
}

// Entries returns the archive's regular files sorted by name, or an error wrapping core.ErrLimit (too many
// entries) or core.ErrUnsafe (an absolute name, a ".." element, a drive letter: a hostile archive).
func Entries(zr *zip.Reader) ([]Entry, error) {
	if len(zr.File) > MaxEntries {
		return nil, fmt.Errorf("zipx: the archive has %d entries, more than %d: %w", len(zr.File), MaxEntries, core.ErrLimit)
	}
	var out []Entry
	for _, f := range zr.File {
		name, err := clean(f.Name)
		if err != nil {
			return nil, err
		}
		if name == "" || !f.Mode().IsRegular() {
			continue // folders, and symlinks, whose content is a path
		}
		out = append(out, Entry{name, f})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func clean(raw string) (string, error) {
	name := strings.ReplaceAll(raw, `\`, "/")
	unsafe := strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) ||
		(len(name) >= 2 && name[1] == ':' && (name[0]|0x20) >= 'a' && (name[0]|0x20) <= 'z')
	for _, el := range strings.Split(name, "/") {
		unsafe = unsafe || el == ".."
	}
	if unsafe {
		return "", fmt.Errorf("zipx: entry %q: %w", core.Clip(raw, 60), core.ErrUnsafe)
	}
	if name == "" || strings.HasSuffix(name, "/") {
		return "", nil
	}
	return path.Clean(name), nil
}

// Base is the last element of a cleaned name.
func Base(name string) string { return path.Base(name) }

// Open opens an entry for streaming. Its declared size is checked against the caps (archive/zip then refuses
// to inflate past the declared size), and the stream stops with core.ErrLimit past MaxEntryBytes whatever the
// header says.
func Open(e Entry) (io.ReadCloser, error) {
	f := e.File
	if f.Flags&0x1 != 0 {
		return nil, fmt.Errorf("zipx: %s: %w", core.Clip(e.Name, 60), core.ErrEncrypted)
	}
	if f.UncompressedSize64 > MaxEntryBytes {
		return nil, fmt.Errorf("zipx: %s inflates to %d bytes, more than %d: %w", core.Clip(e.Name, 60), f.UncompressedSize64, uint64(MaxEntryBytes), core.ErrLimit)
	}
	if f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > MaxRatio {
		return nil, fmt.Errorf("zipx: %s inflates %d times its size, a zip bomb: %w", core.Clip(e.Name, 60), f.UncompressedSize64/f.CompressedSize64, core.ErrLimit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("zipx: open %s: %w: %w", core.Clip(e.Name, 60), core.ErrMalformed, err)
	}
	return &capped{rc: rc, left: MaxEntryBytes, name: e.Name}, nil
}

type capped struct {
	rc   io.ReadCloser
	left int64
	name string
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("zipx: %s inflates past %d bytes: %w", core.Clip(c.name, 60), int64(MaxEntryBytes), core.ErrLimit)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("zipx: %s: %w: %w", core.Clip(c.name, 60), core.ErrTruncated, err)
	}
	return n, err
}

func (c *capped) Close() error { return c.rc.Close() }

// Head returns up to n first inflated bytes of an entry.
func Head(e Entry, n int) ([]byte, error) {
	rc, err := Open(e)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, n)
	m, err := io.ReadFull(rc, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:m], err
}
