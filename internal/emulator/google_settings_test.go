package emulator

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestGoogleSettingsAndHeight: the settings serve the units a test sets, the height collection the account's
// heights, newest first, with heightMillimeters as a string.
func TestGoogleSettingsAndHeight(t *testing.T) {
	f := newO2Fixture(t, Options{Days: 30})
	tok := f.emu.IssueGoogleToken(testClientID, scopeHealthMetrics, scopeHealthSettings)
	var s map[string]any
	if resp := f.bearerGet(t, "/v4/users/me/settings", tok, &s); resp.StatusCode != 200 || s["weightUnit"] != "WEIGHT_UNIT_KILOGRAMS" {
		t.Fatalf("default settings: %d %v", resp.StatusCode, s)
	}
	f.emu.SetGoogleUnits("WEIGHT_UNIT_POUNDS", "HEIGHT_UNIT_INCHES")
	f.bearerGet(t, "/v4/users/me/settings", tok, &s)
	if s["weightUnit"] != "WEIGHT_UNIT_POUNDS" || s["heightUnit"] != "HEIGHT_UNIT_INCHES" || s["timeZone"] != "Europe/London" {
		t.Errorf("settings after SetGoogleUnits: %v", s)
	}
	f.emu.AddGoogleHeight(time.Now(), "1812")
	var page struct {
		DataPoints []struct {
			Height struct {
				HeightMillimeters any `json:"heightMillimeters"`
			} `json:"height"`
		} `json:"dataPoints"`
	}
	if resp := f.bearerGet(t, "/v4/users/me/dataTypes/height/dataPoints", tok, &page); resp.StatusCode != 200 || len(page.DataPoints) != 2 {
		t.Fatalf("heights: %d, %d points", resp.StatusCode, len(page.DataPoints))
	}
	if got := page.DataPoints[0].Height.HeightMillimeters; got != "1812" {
		t.Errorf("newest height %#v, want the string \"1812\"", got)
	}
	if got := page.DataPoints[1].Height.HeightMillimeters; got != "1780" {
		t.Errorf("the account's first height %#v, want \"1780\"", got)
	}
	profileOnly := f.emu.IssueGoogleToken(testClientID, scopeHealthProfile)
	wantGoogleError(t, f.bearerGet(t, "/v4/users/me/dataTypes/height/dataPoints", profileOnly, nil), http.StatusForbidden, "PERMISSION_DENIED")
}

// TestGooglePaging: a pageSize above 10000 is truncated as documented; a capped page still pages through all;
// expired page tokens are refused with INVALID_ARGUMENT.
func TestGooglePaging(t *testing.T) {
	f := newO2Fixture(t, Options{Years: 1})
	tok := f.emu.IssueGoogleToken(testClientID, scopeHealthMetrics)
	all := len(wantPoints(t, f.emu, "weight"))
	var p pointsPage
	if resp := f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints?pageSize=20000", tok, &p); resp.StatusCode != 200 || len(p.DataPoints) != all {
		t.Fatalf("pageSize 20000: %d, %d points, want all %d", resp.StatusCode, len(p.DataPoints), all)
	}
	f.emu.SetGoogleMaxPageSize(50)
	got, pages := listAll(t, f, tok, "weight", url.Values{"pageSize": {"10000"}})
	if len(got) != all || pages != (all+49)/50 {
		t.Errorf("capped at 50: %d points in %d pages, want %d in %d", len(got), pages, all, (all+49)/50)
	}
	f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints?pageSize=10000", tok, &p)
	f.emu.ExpireGooglePageTokens()
	resp := f.bearerGet(t, "/v4/users/me/dataTypes/weight/dataPoints?pageSize=10000&pageToken="+url.QueryEscape(p.NextPageToken), tok, nil)
	wantGoogleError(t, resp, http.StatusBadRequest, "INVALID_ARGUMENT")
}
