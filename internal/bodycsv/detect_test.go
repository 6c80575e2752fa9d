package bodycsv

import "testing"

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want Format
		ok   bool
	}{
		{"date,time,weight_kg,bmi,fat_pct,source,provider,external_id\n2024-01-01,07:00:00,80,,,,,\n", FormatOwn, true},
		{"\ufeffDate;Weight (kg)\n01.02.2024;80,4\n", FormatGeneric, true},
		{"Date,Weight\n", FormatGeneric, true},
		{"name,colour\nx,y\n", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := Detect([]byte(tt.head))
		if got != tt.want || ok != tt.ok {
			t.Errorf("Detect(%q) = %v, %v; want %v, %v", tt.head, got, ok, tt.want, tt.ok)
		}
	}
}
