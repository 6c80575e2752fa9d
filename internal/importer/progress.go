package importer

import (
	"io"
	"sync"
	"sync/atomic"
)

// Progress is what a running import has done so far; another goroutine may read it with Snapshot while the
// import runs. The zero value is ready to use.
type Progress struct {
	read, total, found atomic.Int64
	mu                 sync.Mutex
	format             string
	counter            interface{ Found() int64 } // a reader that counts while it scans (Apple Health)
	base               int64                      // weigh-ins found in the files before the counting reader
}

// ProgressSnapshot is a copy of a Progress at one moment.
type ProgressSnapshot struct {
	BytesRead, BytesTotal int64  // of the file (a zip: its compressed bytes)
	Found                 int64  // weigh-ins (and other body records) found so far
	Format                string // the format recognised, once it is; "" before
}

// Snapshot copies the progress; nil-safe.
func (p *Progress) Snapshot() ProgressSnapshot {
	if p == nil {
		return ProgressSnapshot{}
	}
	p.mu.Lock()
	f, c, base := p.format, p.counter, p.base
	p.mu.Unlock()
	found := p.found.Load()
	if c != nil {
		found = max(found, base+c.Found())
	}
	return ProgressSnapshot{BytesRead: min(p.read.Load(), p.total.Load()), BytesTotal: p.total.Load(), Found: found, Format: f}
}

func (p *Progress) setTotal(n int64) {
	if p != nil {
		p.total.Store(n)
	}
}

func (p *Progress) setFormat(name string) {
	if p != nil {
		p.mu.Lock()
		p.format = name
		p.mu.Unlock()
	}
}

// watch makes a reader that counts its own findings (Apple Health's Found) the source of Found.
func (p *Progress) watch(r any) {
	if p == nil {
		return
	}
	if c, ok := r.(interface{ Found() int64 }); ok {
		p.mu.Lock()
		p.counter, p.base = c, p.found.Load()
		p.mu.Unlock()
	}
}

func (p *Progress) addFound() {
	if p != nil {
		p.found.Add(1)
	}
}

// done marks every byte read, once the import has read the whole file.
func (p *Progress) done() {
	if p != nil {
		p.read.Store(p.total.Load())
	}
}

// countingReaderAt counts the bytes read through it into a Progress.
type countingReaderAt struct {
	r io.ReaderAt
	p *Progress
}

func (c countingReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(b, off)
	c.p.read.Add(int64(n))
	return n, err
}

// counted wraps r so that reads through it advance p (r itself when p is nil).
func counted(r io.ReaderAt, p *Progress) io.ReaderAt {
	if p == nil {
		return r
	}
	return countingReaderAt{r, p}
}
