// Command genicons draws the app's PNG icons (web/static/icons) from the favicon's design: a green rounded
// square with a white trend line. Run once from the repository root with `go run ./scripts/genicons`; the PNGs
// are committed, the program's binary is not.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

var (
	green = color.NRGBA{0x1f, 0x7a, 0x6d, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	// The favicon's polyline on its 32-unit grid.
	line = [][2]float64{{5, 21}, {11, 17}, {16, 19}, {21, 12}, {27, 10}}
)

func main() {
	out := filepath.Join("web", "static", "icons")
	icons := []struct {
		name     string
		size     int
		radius   float64 // corner radius as a share of the size; 0 fills the square
		artScale float64 // the line's extent as a share of the size
	}{
		{"icon-192.png", 192, 7.0 / 32, 1},
		{"icon-512.png", 512, 7.0 / 32, 1},
		{"maskable-512.png", 512, 0, 0.7}, // inside the maskable safe zone (the central 80% circle)
		{"apple-touch-icon.png", 180, 0, 0.9},
	}
	for _, ic := range icons {
		if err := write(filepath.Join(out, ic.name), draw(ic.size, ic.radius, ic.artScale)); err != nil {
			log.Fatal(err)
		}
	}
}

// draw renders one icon, 4x4 supersampled for smooth edges.
func draw(size int, radius, scale float64) *image.NRGBA {
	const ss = 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	n := float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var bg, fg float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := (float64(x) + (float64(sx)+.5)/ss) / n * 32
					py := (float64(y) + (float64(sy)+.5)/ss) / n * 32
					if inRounded(px, py, radius*32) {
						bg++
						// The line, scaled about the centre.
						lx, ly := 16+(px-16)/scale, 16+(py-16)/scale
						if nearLine(lx, ly, 1.5) {
							fg++
						}
					}
				}
			}
			bg /= ss * ss
			fg /= ss * ss
			c := mix(green, white, fg/math.Max(bg, 1e-9))
			c.A = uint8(bg*255 + .5)
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func inRounded(x, y, r float64) bool {
	if r == 0 {
		return true
	}
	cx, cy := math.Max(r, math.Min(x, 32-r)), math.Max(r, math.Min(y, 32-r))
	return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}

// nearLine reports whether (x, y) lies within w of the polyline (round caps and joins).
func nearLine(x, y, w float64) bool {
	for i := 0; i+1 < len(line); i++ {
		ax, ay, bx, by := line[i][0], line[i][1], line[i+1][0], line[i+1][1]
		dx, dy := bx-ax, by-ay
		t := math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/(dx*dx+dy*dy)))
		qx, qy := ax+t*dx-x, ay+t*dy-y
		if qx*qx+qy*qy <= w*w {
			return true
		}
	}
	return false
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	l := func(p, q uint8) uint8 { return uint8(float64(p)*(1-t) + float64(q)*t + .5) }
	return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 0xff}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
