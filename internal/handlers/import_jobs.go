package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/bodystats/bodystats/internal/importer"
)

// keepJobs is how long a finished import's summary stays available to the page that started it.
const keepJobs = time.Hour

// importJob is one upload being imported in the background; the page polls GET /import/status?id=.
type importJob struct {
	id       string
	progress importer.Progress
	mu       sync.Mutex
	state    string // "running", "done", "failed"
	sum      importer.Summary
	err      error
	ended    time.Time
}

// importJobs holds the running and recently finished imports of this process, by unguessable id.
type importJobs struct {
	mu     sync.Mutex
	jobs   map[string]*importJob
	wg     sync.WaitGroup
	ctx    context.Context // cancelled by close: a running import rolls back and stores nothing
	cancel context.CancelFunc
}

func newImportJobs() *importJobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &importJobs{jobs: map[string]*importJob{}, ctx: ctx, cancel: cancel}
}

// start runs do in the background as a new job and returns it; the temporary file at path is removed when it
// ends, whatever happens.
func (js *importJobs) start(path string, do func(ctx context.Context, p *importer.Progress) (importer.Summary, error)) *importJob {
	var b [16]byte
	rand.Read(b[:])
	j := &importJob{id: hex.EncodeToString(b[:]), state: "running"}
	js.mu.Lock()
	for id, old := range js.jobs {
		if old.finished() && time.Since(old.ended) > keepJobs {
			delete(js.jobs, id)
		}
	}
	js.jobs[j.id] = j
	js.mu.Unlock()
	js.wg.Add(1)
	go func() {
		defer js.wg.Done()
		defer os.Remove(path)
		sum, err := do(js.ctx, &j.progress)
		j.mu.Lock()
		defer j.mu.Unlock()
		j.sum, j.err, j.ended = sum, err, time.Now()
		j.state = "done"
		if err != nil {
			j.state = "failed"
		}
	}()
	return j
}

func (js *importJobs) get(id string) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	return js.jobs[id]
}

// close cancels the running imports and waits for them.
func (js *importJobs) close() {
	js.cancel()
	js.wg.Wait()
}

func (j *importJob) finished() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state != "running"
}

// result is the job's state, summary and error once it has ended.
func (j *importJob) result() (string, importer.Summary, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state, j.sum, j.err
}

// importStatus serves GET /import/status?id=: JSON {"state", "bytes_read", "bytes_total", "found", "format",
// "added", "merged", "skipped", "message"}; state is running, done or failed. 404 for an unknown id.
func (h *Handler) importStatus(w http.ResponseWriter, r *http.Request) {
	j := h.imports.get(r.URL.Query().Get("id"))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if j == nil {
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]string{"state": "unknown", "message": "No such import: it ended more than an hour ago, or the server restarted."})
		return
	}
	state, sum, err := j.result()
	p := j.progress.Snapshot()
	body := map[string]any{"state": state, "bytes_read": p.BytesRead, "bytes_total": p.BytesTotal, "found": p.Found,
		"format": p.Format, "added": sum.Added, "merged": sum.Merged, "skipped": sum.Skipped, "message": ""}
	if err != nil {
		body["message"] = importProblem(err).Message
	}
	json.NewEncoder(w).Encode(body)
}
