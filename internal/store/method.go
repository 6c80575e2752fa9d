package store

// Method is how a weigh-in reached its source, and so which of two twins (the same weigh-in through two
// sources) the history shows: a device's own reading over a synced copy over an import over manual entry.
type Method string

const (
	MethodDevice Method = "device" // the scale's own provider reporting what the scale measured
	MethodCopy   Method = "copy"   // a platform relaying another app's reading (Google Health, Health Connect, a push)
	MethodImport Method = "import" // read from a file the person downloaded
	MethodManual Method = "manual" // typed in, here or in a provider's app
)

// rank orders methods for the merge; 0 means the method is unknown.
func (m Method) rank() int {
	switch m {
	case MethodDevice:
		return 4
	case MethodCopy:
		return 3
	case MethodImport:
		return 2
	case MethodManual:
		return 1
	}
	return 0
}
