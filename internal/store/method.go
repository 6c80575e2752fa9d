package store

// Method is how a weigh-in reached its source, and so which of two twins (the same weigh-in through two
// sources) the history shows: a device's own reading over a synced copy over an entry typed into a provider's
// app over an import over one typed into bodystats.
type Method string

const (
	MethodDevice  Method = "device"  // the scale's own provider reporting what the scale measured
	MethodCopy    Method = "copy"    // a platform relaying another app's reading (Google Health, Health Connect, a push)
	MethodEntered Method = "entered" // typed into a provider's app or site, and synced from there
	MethodImport  Method = "import"  // read from a file the person downloaded
	MethodManual  Method = "manual"  // typed into bodystats
)

// rank orders methods for the merge; 0 means the method is unknown.
func (m Method) rank() int {
	switch m {
	case MethodDevice:
		return 5
	case MethodCopy:
		return 4
	case MethodEntered:
		return 3
	case MethodImport:
		return 2
	case MethodManual:
		return 1
	}
	return 0
}
