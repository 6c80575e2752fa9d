package csvx

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/bodystats/bodystats/internal/formats/core"
)

func TestColumnHelpers(t *testing.T) {
	row := []string{"80,5", "", "x", "-1", "21.4%", "175 lbs", "--"}
	num := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	tests := []struct {
		name    string
		call    func() (any, error)
		want    any
		wantErr string
	}{
		{"required", func() (any, error) { return Required(row, 0, "weight") }, 80.5, ""},
		{"required empty cell", func() (any, error) { return Required(row, 1, "weight") }, 0.0, "no weight"},
		{"required absent column", func() (any, error) { return Required(row, -1, "height") }, 0.0, "no height"},
		{"required missing spelling", func() (any, error) { return Required(row, 6, "weight") }, 0.0, "no weight"},
		{"required not a number", func() (any, error) { return Required(row, 2, "weight") }, 0.0, `"x" is not a number`},
		{"required negative", func() (any, error) { return Required(row, 3, "weight") }, 0.0, `"-1" is negative`},
		{"required unit", func() (any, error) { v, u, err := RequiredUnit(row, 5, "weight"); return [2]any{v, u}, err }, [2]any{175.0, "lbs"}, ""},
		{"required unit missing", func() (any, error) { _, _, err := RequiredUnit(row, 6, "weight"); return nil, err }, nil, "no weight"},
		{"required unit bad", func() (any, error) { _, _, err := RequiredUnit(row, 2, "weight"); return nil, err }, nil, `"x" is not a number`},
		{"optional", func() (any, error) { p, err := Optional(row, 0); return num(p), err }, 80.5, ""},
		{"optional empty", func() (any, error) { p, err := Optional(row, 1); return num(p), err }, nil, ""},
		{"optional absent", func() (any, error) { p, err := Optional(row, 99); return num(p), err }, nil, ""},
		{"optional bad", func() (any, error) { p, err := Optional(row, 2); return num(p), err }, nil, `"x" is not a number`},
		{"scaled", func() (any, error) { p, err := Scaled(row, 0, 2); return num(p), err }, 161.0, ""},
		{"scaled missing", func() (any, error) { p, err := Scaled(row, 6, 2); return num(p), err }, nil, ""},
		{"optional unit", func() (any, error) { p, err := OptionalUnit(row, 4); return num(p), err }, 21.4, ""},
		{"optional unit missing", func() (any, error) { p, err := OptionalUnit(row, 6); return num(p), err }, nil, ""},
		{"optional unit bad", func() (any, error) { p, err := OptionalUnit(row, 3); return num(p), err }, nil, `"-1" is negative`},
		{"or zero", func() (any, error) { return OrZero(row, 0) }, 80.5, ""},
		{"or zero missing", func() (any, error) { return OrZero(row, -1) }, 0.0, ""},
		{"or zero bad", func() (any, error) { return OrZero(row, 2) }, 0.0, `"x" is not a number`},
	}
	for _, tt := range tests {
		got, err := tt.call()
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

func TestRows(t *testing.T) {
	starts := 0
	var rows *Rows
	rows = NewRows(strings.NewReader("w\n1\n\n2\n"), "test", func(h []string) error {
		starts++
		if h[0] != "w" {
			return rows.Unknown(h, "not ours")
		}
		return nil
	})
	for _, want := range []string{"1", "2"} {
		row, err := rows.Next()
		if err != nil || row[0] != want {
			t.Fatalf("Next = %q, %v; want %q", row, err, want)
		}
	}
	_, err := rows.Bad(errors.New("no weight"))
	var re *core.RowError
	if !errors.As(err, &re) || err.Error() != "line 4: test: no weight" {
		t.Errorf("Bad = %v, want a RowError %q", err, "line 4: test: no weight")
	}
	if _, err := rows.Next(); err != io.EOF {
		t.Errorf("Next at the end = %v, want io.EOF", err)
	}
	if starts != 1 {
		t.Errorf("start ran %d times, want once", starts)
	}
}

func TestRowsStartErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
		is             error
	}{
		{"empty", "", "test: header: csvx: the file is empty: " + core.ErrMalformed.Error(), core.ErrMalformed},
		{"not ours", "a,b\n1,2\n", `test: the header "a,b" is not ours: ` + core.ErrUnknownFormat.Error(), core.ErrUnknownFormat},
	}
	for _, tt := range tests {
		var rows *Rows
		rows = NewRows(strings.NewReader(tt.in), "test", func(h []string) error {
			if h[0] != "w" {
				return rows.Unknown(h, "not ours")
			}
			return nil
		})
		_, err := rows.Next()
		if err == nil || err.Error() != tt.want || !errors.Is(err, tt.is) {
			t.Errorf("%s: Next = %v, want %q", tt.name, err, tt.want)
		}
		var re *core.RowError
		if errors.As(err, &re) {
			t.Errorf("%s: a header error is a RowError", tt.name)
		}
	}
}

// TestRowsStartAgain: after a start error the next call reads the next record as the header (a file with a
// line above its header, read by a caller that goes on).
// TestRowsHeaderErrorEndsTheReading: a header that is not the reader's is returned on every later Next; the
// rows after it are never read as data.
func TestRowsHeaderErrorEndsTheReading(t *testing.T) {
	var rows *Rows
	rows = NewRows(strings.NewReader("meta,1\nw\n5\n"), "test", func(h []string) error {
		if h[0] != "w" {
			return rows.Unknown(h, "not ours")
		}
		return nil
	})
	if _, err := rows.Next(); !errors.Is(err, core.ErrUnknownFormat) {
		t.Fatalf("first Next = %v, want ErrUnknownFormat", err)
	}
	if row, err := rows.Next(); !errors.Is(err, core.ErrUnknownFormat) {
		t.Errorf("second Next = %q, %v; want the same ErrUnknownFormat again", row, err)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestRowsReadErrorIsPrefixed(t *testing.T) {
	rows := NewRows(io.MultiReader(strings.NewReader("w\n"), failing{}), "test", func([]string) error { return nil })
	if _, err := rows.Next(); err == nil || err.Error() != "test: csvx: disk gone" {
		t.Errorf("Next = %v, want %q", err, "test: csvx: disk gone")
	}
}

func TestRowsCheck(t *testing.T) {
	r := NewRows(strings.NewReader("w\n1\n"), "test", func([]string) error { return nil })
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	good := core.Record{Date: "2025-01-02", Clock: "07:00:00", WeightKg: 80, Device: "x"}
	if got, err := r.Check(good); err != nil || got != good {
		t.Errorf("Check(good) = %+v, %v", got, err)
	}
	bad := good
	bad.Device = ""
	var re *core.RowError
	if got, err := r.Check(bad); !errors.As(err, &re) || err.Error() != "line 2: test: no source label" || got != (core.Record{}) {
		t.Errorf("Check(no label) = %+v, %v", got, err)
	}
}
