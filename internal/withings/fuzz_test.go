package withings

import (
	"net/http"
	"testing"
)

// FuzzAnswer feeds any bytes to the answer decoder and the group reader: an error or readings within bounds,
// never a panic.
func FuzzAnswer(f *testing.F) {
	f.Add([]byte(pageWith("Europe/Paris", `{"value":7845,"type":1,"unit":-2},{"value":21512,"type":6,"unit":-3}`, "0")))
	f.Add([]byte(pageWith("Mars/Olympus", `{"value":"65750","type":"1","unit":"-3"},{"value":1688,"type":8,"unit":-2}`, "1")))
	f.Add([]byte(pageWith("Europe/Paris", `{"value":178,"type":4,"unit":-2},{"value":7845,"type":1,"unit":30}`, "4")))
	f.Add([]byte(`{"status":601,"body":{"wait_seconds":188},"error":"Same arguments in less than 10 seconds"}`))
	f.Add([]byte(`{"status":0,"body":{"measuregrps":[],"more":true,"offset":"2"}}`))
	f.Add([]byte(`{"status":0,"body":{"userid":"4827163","access_token":"a","refresh_token":"r","expires_in":10800}}`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		body, _, err := decodeEnvelope(http.StatusOK, http.Header{}, data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without words")
			}
			return
		}
		var tb tokenBody
		_ = jsonUnmarshal(string(body), &tb)
		page, err := decodePage(body)
		if err != nil {
			return
		}
		z, _ := zoneOf(page.TimeZone)
		h, _ := newestHeight(page.Groups)
		if h != 0 && (h < minM || h > maxM) {
			t.Fatalf("height %v", h)
		}
		for _, g := range page.Groups {
			r, err := reading(g, z, h)
			if err != nil {
				continue
			}
			if r.WeightKg < minKg || r.WeightKg > maxKg || r.ExternalID == "" || len(r.Date) != 10 && r.Date[0] != '-' && len(r.Date) < 10 {
				t.Fatalf("reading %+v", r)
			}
			if r.FatPct != nil && (*r.FatPct <= 0 || *r.FatPct >= 100) {
				t.Fatalf("fat %v", *r.FatPct)
			}
			if len(r.Device) > 60 {
				t.Fatalf("device label %q", r.Device)
			}
		}
	})
}
