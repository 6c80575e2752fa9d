package emulator

import (
	"slices"
	"strconv"
	"time"
)

// googleState is what tests may change of the Google account: its settings, its heights, and how the list
// method pages. Guarded by Emulator.mu.
type googleState struct {
	weightUnit, heightUnit string // Settings enum values
	heights                []googleHeight
	maxPage                int // the most points one page holds (the API's 10000 unless a test lowers it)
	tokenGen               int // page tokens of older generations are refused: ExpireGooglePageTokens
}

type googleHeight struct {
	at time.Time
	mm string // heightMillimeters as it goes on the wire (an int64 in proto3 JSON: a string)
}

// newGoogleState is the demo account's: metric, one height (the Fitbit profile's) measured the morning it joined.
func newGoogleState(e *Emulator) googleState {
	joined, _ := time.ParseInLocation(dateLayout, e.user.MemberSince, e.loc)
	return googleState{
		weightUnit: "WEIGHT_UNIT_KILOGRAMS", heightUnit: "HEIGHT_UNIT_CENTIMETERS", maxPage: maxPageSize,
		heights: []googleHeight{{at: joined.Add(8 * time.Hour), mm: strconv.Itoa(int(e.user.HeightCm * 10))}},
	}
}

// SetGoogleUnits sets the units the Google account's settings name, as Google's enum values:
// WEIGHT_UNIT_POUNDS, WEIGHT_UNIT_STONE, WEIGHT_UNIT_KILOGRAMS; HEIGHT_UNIT_INCHES, HEIGHT_UNIT_CENTIMETERS.
// Any other string is served as given, as a newer API might.
func (e *Emulator) SetGoogleUnits(weightUnit, heightUnit string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gstate.weightUnit, e.gstate.heightUnit = weightUnit, heightUnit
}

// AddGoogleHeight adds a height data point taken at at; mm is heightMillimeters as the wire carries it, so a
// test may serve "abc", "0" or "4000".
func (e *Emulator) AddGoogleHeight(at time.Time, mm string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gstate.heights = append(e.gstate.heights, googleHeight{at: at, mm: mm})
	slices.SortStableFunc(e.gstate.heights, func(a, b googleHeight) int { return a.at.Compare(b.at) })
}

// SetGoogleMaxPageSize caps the points one page of a list answer holds, below the pageSize asked for, as
// AIP-158 allows a server to: a client must follow nextPageToken, not count points. 0 restores 10000.
func (e *Emulator) SetGoogleMaxPageSize(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n <= 0 || n > maxPageSize {
		n = maxPageSize
	}
	e.gstate.maxPage = n
}

// ExpireGooglePageTokens makes every page token issued so far invalid: the next request with one gets
// 400 INVALID_ARGUMENT, as a token Google has forgotten does.
func (e *Emulator) ExpireGooglePageTokens() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gstate.tokenGen++
}

// IssueGoogleToken returns an access token for the demo user granted scopes (the full names), for tests that
// skip the consent page. clientID must be registered with AddOAuth2Client for the token to be refreshable.
func (e *Emulator) IssueGoogleToken(clientID string, scopes ...string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	access, _, _ := e.issueLocked(googleOAuth2, clientID, slices.Clone(scopes), false)
	return access
}

// googleSettings is the Settings resource.
func (e *Emulator) googleSettings(name string) map[string]string {
	e.mu.Lock()
	weight, height := e.gstate.weightUnit, e.gstate.heightUnit
	e.mu.Unlock()
	_, offset := e.now().In(e.loc).Zone()
	return map[string]string{"name": name, "timeZone": e.google.TimeZone, "utcOffset": strconv.Itoa(offset) + "s",
		"languageLocale": "en-GB", "weightUnit": weight, "heightUnit": height, "distanceUnit": "DISTANCE_UNIT_KILOMETERS"}
}

// heightPoints are the height data points in [lo, hi), newest first.
func (e *Emulator) heightPoints(lo, hi *time.Time) []dataPointJSON {
	e.mu.Lock()
	heights := slices.Clone(e.gstate.heights)
	e.mu.Unlock()
	var out []dataPointJSON
	for i := len(heights) - 1; i >= 0; i-- {
		h := heights[i]
		if (lo != nil && h.at.Before(*lo)) || (hi != nil && !h.at.Before(*hi)) {
			continue
		}
		at := h.at.In(e.loc)
		out = append(out, dataPointJSON{
			Name:       "users/" + e.google.HealthUserID + "/dataTypes/height/dataPoints/" + strconv.FormatInt(at.UnixMilli(), 10),
			DataSource: dataSourceJSON{RecordingMethod: "MANUAL", Platform: "FITBIT"},
			Height:     &heightJSON{SampleTime: sampleTime(at), HeightMillimeters: h.mm},
		})
	}
	return out
}

// ClearGoogleHeights leaves the Google account with no height at all, as an account that never set one.
func (e *Emulator) ClearGoogleHeights() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gstate.heights = nil
}
