package csvx

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
		err  bool
	}{
		{"82.4", 82.4, true, false}, {"82,4", 82.4, true, false}, {" 1.234,5 ", 1234.5, true, false}, {"1,234.5", 1234.5, true, false},
		{"", 0, false, false}, {"null", 0, false, false}, {"--", 0, false, false}, {"–", 0, false, false}, {"N/A", 0, false, false},
		{"NaN", 0, false, false}, {"Inf", 0, false, true}, {"1e999", 0, false, true}, {"-1", 0, false, true}, {"abc", 0, false, true},
	}
	for _, tt := range tests {
		v, ok, err := Number(tt.in)
		if v != tt.want || ok != tt.ok || (err != nil) != tt.err {
			t.Errorf("Number(%q) = %v, %v, %v; want %v, %v, error %v", tt.in, v, ok, err, tt.want, tt.ok, tt.err)
		}
	}
}

func TestNumberUnit(t *testing.T) {
	tests := []struct {
		in, unit string
		want     float64
		ok       bool
	}{
		{"80.4 kg", "kg", 80.4, true}, {"20%", "%", 20, true}, {"178.6 lbs", "lbs", 178.6, true}, {"81", "", 81, true}, {"–", "", 0, false},
	}
	for _, tt := range tests {
		v, u, ok, err := NumberUnit(tt.in)
		if err != nil || v != tt.want || u != tt.unit || ok != tt.ok {
			t.Errorf("NumberUnit(%q) = %v, %q, %v, %v", tt.in, v, u, ok, err)
		}
	}
}

func TestHeaderUnit(t *testing.T) {
	for in, want := range map[string][2]string{
		"Weight (kg)": {"weight", "kg"}, "Weight(KG)": {"weight", "kg"}, `"Body Fat(%)"`: {"body fat", "%"}, "\ufeffTime  of Measurement": {"time of measurement", ""},
	} {
		n, u := HeaderUnit(in)
		if n != want[0] || u != want[1] {
			t.Errorf("HeaderUnit(%q) = %q, %q; want %q", in, n, u, want)
		}
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want [][]string
	}{
		{"BOM, CRLF, quotes", "\ufeffa,\"b,c\"\r\n1, 2 \r\n", [][]string{{"a", "b,c"}, {"1", "2"}}},
		{"semicolons", "a;b\n1,5;2\n", [][]string{{"a", "b"}, {"1,5", "2"}}},
		{"tabs, ragged, blank lines", "a\tb\n\n1\n1\t2\t3\n", [][]string{{"a", "b"}, {"1"}, {"1", "2", "3"}}},
		{"a stray quote", "a,b\n1,x\"y\n", [][]string{{"a", "b"}, {"1", `x"y`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(strings.NewReader(tt.in))
			var got [][]string
			for {
				rec, err := r.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, append([]string(nil), rec...))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	if _, err := New(strings.NewReader("")).Header(); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("empty file header: err %v, want an error that is not io.EOF", err)
	}
}
