package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	"github.com/bodystats/bodystats/internal/fitbit"
)

// wholeFileHash is the size up to which a file's fingerprint hashes every byte; a larger one (an Apple Health
// export of gigabytes) is known by its size and its first and last megabytes, which is what a re-upload of the
// same file shares and two different exports do not.
const wholeFileHash = 64 << 20

// fingerprint names a file by its content, so importing it again reuses its source.
func fingerprint(r io.ReaderAt, size int64) (string, error) {
	h := sha256.New()
	h.Write([]byte(strconv.FormatInt(size, 10) + "\x00"))
	if size <= wholeFileHash {
		if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
			return "", fmt.Errorf("read the file: %w", err)
		}
	} else {
		const part = 1 << 20
		for _, off := range []int64{0, size - part} {
			if _, err := io.Copy(h, io.NewSectionReader(r, off, part)); err != nil {
				return "", fmt.Errorf("read the file: %w", err)
			}
		}
	}
	return "file:" + hex.EncodeToString(h.Sum(nil)), nil
}

// folderFingerprint names an unpacked export by the files it read and its weigh-ins.
func folderFingerprint(exp fitbit.Export) string {
	h := sha256.New()
	for _, f := range exp.Files {
		h.Write([]byte(f + "\x00"))
	}
	for _, l := range exp.Logs {
		fmt.Fprintf(h, "%s %s %v %d\x00", l.Date, l.Time, l.Weight, l.LogID)
	}
	return "folder:" + hex.EncodeToString(h.Sum(nil))
}
