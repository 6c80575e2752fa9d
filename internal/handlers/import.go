package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/formats"
	"github.com/bodystats/bodystats/internal/importer"
	"github.com/bodystats/bodystats/internal/store"
)

// MaxUpload bounds an uploaded export: a full Apple Health export.zip is a few hundred megabytes, its bare
// export.xml 1-3 GB. The upload is streamed to a temporary file in the data directory, never held in memory.
const MaxUpload = 4 << 30

// uploadPattern names the temporary files uploads are streamed to.
const uploadPattern = ".upload-*"

type importData struct {
	Summary *importer.Summary
	MaxMB   int
}

// importForm serves GET /import: the upload form, or with ?job= the summary of an import started with
// POST /import?async=1.
func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	if id := r.URL.Query().Get("job"); id != "" {
		j := h.imports.get(id)
		if j == nil {
			h.fail(w, r, http.StatusNotFound, problem{Heading: "No such import", Message: "That import ended more than an hour ago, or the server restarted. Its weigh-ins, if it stored any, are in your history.", Next: "/import", NextLabel: "Import a file"}, nil)
			return
		}
		state, sum, err := j.result()
		if state == "running" {
			h.fail(w, r, http.StatusConflict, problem{Heading: "Still importing", Message: "The import is still running; reload this page in a moment.", Next: r.URL.RequestURI(), NextLabel: "Reload"}, nil)
			return
		}
		h.showImport(w, r, sum, err)
		return
	}
	h.render(w, r, http.StatusOK, "import.html", h.newPage("Import", "import", h.headerAccount(r), importData{MaxMB: MaxUpload >> 20}))
}

// importUpload serves POST /import: the upload is streamed to a temporary file, imported in one transaction,
// and the file removed. With ?async=1 (what upload.js sends) it answers 202 with JSON {"id", "status",
// "result"} at once and imports in the background, for the page to poll /import/status and then show
// /import?job=; without it, it answers with the summary when the import ends.
func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request) {
	up, status, pr, err := h.receiveUpload(w, r)
	if err != nil {
		h.fail(w, r, status, pr, err)
		return
	}
	do := func(ctx context.Context, p *importer.Progress) (importer.Summary, error) {
		f, err := os.Open(up.path)
		if err != nil {
			return importer.Summary{}, err
		}
		defer f.Close()
		return importer.Import(ctx, h.store, f, up.size, importer.Options{Unit: up.unit, Name: up.name, Progress: p})
	}
	if r.URL.Query().Get("async") == "1" {
		j := h.imports.start(up.path, do)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusAccepted)
		json.NewEncoder(w).Encode(map[string]string{"id": j.id, "status": "/import/status?id=" + j.id, "result": "/import?job=" + j.id})
		return
	}
	defer os.Remove(up.path)
	sum, err := do(r.Context(), nil)
	h.showImport(w, r, sum, err)
}

// showImport answers with an import's summary, or its failure as a 4xx page (a 500 when the database failed).
func (h *Handler) showImport(w http.ResponseWriter, r *http.Request, sum importer.Summary, err error) {
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, importer.ErrStore) {
			status = http.StatusInternalServerError
		}
		h.fail(w, r, status, importProblem(err), err)
		return
	}
	h.log.Info("import finished", "kind", sum.Kind, "added", sum.Added, "merged", sum.Merged, "skipped", sum.Skipped)
	h.render(w, r, http.StatusOK, "import.html", h.newPage("Import", "import", h.headerAccount(r), importData{Summary: &sum, MaxMB: MaxUpload >> 20}))
}

// importProblem is the sentence for a failed import.
func importProblem(err error) problem {
	msg := importer.Message(err)
	back := func(p problem) problem { p.Next, p.NextLabel = "/import", "Try another file"; return p }
	unchanged := " Nothing was imported; your stored data is unchanged."
	switch {
	case errors.Is(err, importer.ErrUnknownFormat), errors.Is(err, fitbit.ErrNotExport):
		seen := strings.TrimSuffix(msg, ": "+formats.ErrUnknownFormat.Error())
		return back(problem{Heading: "bodystats cannot read that file", Message: "It is " + seen + ", which is not an export bodystats knows. It reads Apple Health, Fitbit or Google Takeout, Withings, Garmin, Samsung Health, Google Fit, Renpho, Zepp Life and openScale exports, and CSV files with date and weight columns." + unchanged})
	case errors.Is(err, formats.ErrEncrypted):
		return back(problem{Heading: "That archive is encrypted", Message: "Unzip it first (the password is in the email that brought it), then import the folder's weight file." + unchanged})
	case errors.Is(err, formats.ErrLimit), errors.Is(err, fitbit.ErrExportLimit), errors.Is(err, formats.ErrUnsafe), errors.Is(err, fitbit.ErrExportUnsafe):
		return back(problem{Heading: "That export is too large or unsafe to read", Message: "It holds more files or data than bodystats reads in one import, or names that point outside the archive (a zip bomb looks like this): " + msg + "." + unchanged})
	case errors.Is(err, formats.ErrTruncated):
		return back(problem{Heading: "That file is incomplete", Message: "It ends in the middle of its data, as after an interrupted download or copy (" + msg + "). Import the complete file." + unchanged})
	case errors.Is(err, importer.ErrStore):
		return back(problem{Heading: "The import could not be saved", Message: "The database refused it; see the server's log." + unchanged})
	}
	return back(problem{Heading: "The import failed", Message: "The file could not be imported (it may be damaged or truncated): " + msg + "." + unchanged})
}

// upload is a received file, in a temporary file of the upload folder.
type upload struct {
	path, name string
	size       int64
	unit       body.Unit
}

// receiveUpload streams the form's file to a temporary file (never into memory) and reads its unit field. On
// failure nothing is left on disk.
func (h *Handler) receiveUpload(w http.ResponseWriter, r *http.Request) (up upload, status int, pr problem, err error) {
	defer func() {
		if err != nil && up.path != "" {
			os.Remove(up.path)
		}
	}()
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload+64<<10) // the file and the form around it
	back := func(heading, msg string) problem {
		return problem{Heading: heading, Message: msg, Next: "/import", NextLabel: "Back"}
	}
	tooBig := func(e error) bool { var mb *http.MaxBytesError; return errors.As(e, &mb) }
	bigProblem := back("That file is too large", "Uploads are limited to 4 GB. Zip a larger export.xml first (it shrinks about tenfold), or import it with the command: go run ./cmd/server import PATH.")
	mr, err := r.MultipartReader()
	if err != nil {
		return up, http.StatusBadRequest, back("No file", "Choose an export (a zip, an Apple Health export.xml, a CSV or JSON file) to import."), err
	}
	unitName := ""
	for {
		part, perr := mr.NextPart()
		if perr == io.EOF {
			break
		}
		if perr != nil {
			if tooBig(perr) {
				return up, http.StatusRequestEntityTooLarge, bigProblem, perr
			}
			return up, http.StatusBadRequest, back("The upload was cut short", "The file did not arrive whole. Try again."), perr
		}
		switch part.FormName() {
		case "file":
			if up.path != "" || part.FileName() == "" {
				break
			}
			f, cerr := os.CreateTemp(h.uploadDir, uploadPattern)
			if cerr != nil {
				return up, http.StatusInternalServerError, back("The upload could not be stored", "bodystats could not write to its data folder; see the server's log."), cerr
			}
			up.path, up.name = f.Name(), filepath.Base(part.FileName())
			up.size, err = io.Copy(f, part)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if tooBig(err) {
				return up, http.StatusRequestEntityTooLarge, bigProblem, err
			}
			if err != nil {
				return up, http.StatusBadRequest, back("The upload was cut short", "The file did not arrive whole. Try again."), err
			}
		case "unit":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			unitName = strings.TrimSpace(string(b))
		}
		part.Close()
	}
	if up.path == "" {
		return up, http.StatusBadRequest, back("No file", "Choose an export (a zip, an Apple Health export.xml, a CSV or JSON file) to import."), errors.New("handlers: no file in the upload")
	}
	if unitName != "" {
		if up.unit, err = body.ParseUnit(unitName); err != nil {
			return up, http.StatusBadRequest, back("Unknown unit", "Choose kilograms, pounds or stone, or let bodystats detect the unit."), err
		}
	}
	return up, 0, problem{}, nil
}

// removeStaleUploads deletes upload files a crash left behind (older than a day, so never a running one).
func removeStaleUploads(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, uploadPattern))
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(n)
		}
	}
}

// headerAccount is the connected account for the page header, or nil.
func (h *Handler) headerAccount(r *http.Request) *store.Account {
	acct, err := h.currentAccount(r)
	if err != nil {
		return nil
	}
	return &acct
}
