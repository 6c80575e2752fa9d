// Package web embeds the HTML templates and static files the app serves.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html static
var files embed.FS

// Templates returns the templates directory.
func Templates() fs.FS { return sub("templates") }

// Static returns the static files directory, served under /static/.
func Static() fs.FS { return sub("static") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic("web: " + err.Error()) // only if the embed pattern above changes
	}
	return f
}
