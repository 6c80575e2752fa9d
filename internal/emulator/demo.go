package emulator

// Demo is how the app's demo mode reaches the emulator: each provider's part registers the demo client with
// Demo's credentials and returns the settings (CONTRACT.md's variables) that point the provider at the emulator.
type Demo struct {
	URL        string // the emulator's own address: token endpoints and APIs
	ConsentURL string // where the app serves the emulator's consent pages (ConsentPaths) to the browser
	ClientID   string
	Secret     string
	Callback   string // the app's redirect URI
}
