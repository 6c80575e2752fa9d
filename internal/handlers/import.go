package handlers

import (
	"errors"
	"net/http"

	"github.com/bodystats/bodystats/internal/body"
	"github.com/bodystats/bodystats/internal/fitbit"
	"github.com/bodystats/bodystats/internal/importer"
	"github.com/bodystats/bodystats/internal/store"
)

// MaxUpload bounds an uploaded export: a decade of Fitbit data zips to a few megabytes, a full account archive
// with every other data type to a few hundred.
const MaxUpload = 512 << 20

type importData struct {
	Summary *importer.Summary
	MaxMB   int
}

// importForm serves GET /import: the upload form for an export or a CSV file.
func (h *Handler) importForm(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "import.html", h.newPage("Import", "import", h.headerAccount(r), importData{MaxMB: MaxUpload >> 20}))
}

// importUpload serves POST /import: it imports the uploaded file in one transaction and shows what it did.
func (h *Handler) importUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload)
	file, header, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, r, http.StatusRequestEntityTooLarge, problem{Heading: "That file is too large", Message: "Uploads are limited to 512 MB. Import a larger export with the command: go run ./cmd/server import PATH.", Next: "/import", NextLabel: "Back"}, err)
			return
		}
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "No file", Message: "Choose a Fitbit export (zip) or a CSV file to import.", Next: "/import", NextLabel: "Back"}, err)
		return
	}
	defer file.Close()
	defer r.MultipartForm.RemoveAll()

	var opts importer.Options
	if name := r.FormValue("unit"); name != "" {
		if opts.Unit, err = body.ParseUnit(name); err != nil {
			h.fail(w, r, http.StatusBadRequest, problem{Heading: "Unknown unit", Message: "Choose kilograms, pounds or stone, or let bodystats detect the unit.", Next: "/import", NextLabel: "Back"}, err)
			return
		}
	}
	sum, err := importer.Import(r.Context(), h.store, file, header.Size, opts)
	switch {
	case errors.Is(err, importer.ErrUnknownFormat), errors.Is(err, fitbit.ErrNotExport):
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "bodystats cannot read that file", Message: "It is neither a Fitbit or Google Takeout export (a zip with weight-….json files) nor a CSV file with date and weight columns. Nothing was imported.", Next: "/import", NextLabel: "Try another file"}, err)
		return
	case errors.Is(err, fitbit.ErrExportLimit):
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "That export is too large to read safely", Message: "It holds more files or data than bodystats reads in one import (a zip bomb looks like this too). Nothing was imported.", Next: "/import", NextLabel: "Back"}, err)
		return
	case err != nil:
		h.fail(w, r, http.StatusBadRequest, problem{Heading: "The import failed", Message: "The file could not be imported (it may be damaged or truncated). Nothing was imported; your stored data is unchanged.", Next: "/import", NextLabel: "Back"}, err)
		return
	}
	h.log.Info("import finished", "kind", sum.Kind, "added", sum.Added, "merged", sum.Merged, "skipped", sum.Skipped)
	h.render(w, r, http.StatusOK, "import.html", h.newPage("Import", "import", h.headerAccount(r), importData{Summary: &sum, MaxMB: MaxUpload >> 20}))
}

// headerAccount is the connected account for the page header, or nil.
func (h *Handler) headerAccount(r *http.Request) *store.Account {
	acct, err := h.currentAccount(r)
	if err != nil {
		return nil
	}
	return &acct
}
