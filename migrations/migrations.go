// Package migrations embeds the numbered SQL files that build bodystats' SQLite schema.
package migrations

import "embed"

// FS holds NNNN_name.sql files, applied in order by internal/store. A file is never edited once released; a
// schema change is a new file with the next number.
//
//go:embed *.sql
var FS embed.FS
