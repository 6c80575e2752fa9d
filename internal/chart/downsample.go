package chart

import "slices"

// Downsample caps points at max by splitting the time between the first and the last point into
// (max-2)/2 equal buckets and keeping each bucket's minimum and maximum, so that peaks and troughs survive
// where an average would flatten them. The result is in time order and starts and ends with the first and
// last point; a max below 4 keeps only those. Points with len <= max (or max <= 0) come back unchanged.
// Values must be finite; New drops the others before calling this.
func Downsample(points []Point, max int) []Point {
	if max <= 0 || len(points) <= max {
		return points
	}
	if !slices.IsSortedFunc(points, byTime) {
		points = slices.Clone(points)
		slices.SortStableFunc(points, byTime)
	}
	first, last := points[0], points[len(points)-1]
	if max == 1 {
		return []Point{first}
	}
	out := make([]Point, 0, max)
	out = append(out, first)

	buckets := (max - 2) / 2
	span := float64(last.T.Sub(first.T))
	bucketOf := func(p Point) int {
		if span <= 0 {
			return 0
		}
		return min(buckets-1, int(float64(p.T.Sub(first.T))/span*float64(buckets)))
	}
	flush := func(bucket []Point) {
		if len(bucket) == 0 {
			return
		}
		lo, hi := 0, 0
		for i, p := range bucket {
			if p.V < bucket[lo].V {
				lo = i
			}
			if p.V > bucket[hi].V {
				hi = i
			}
		}
		switch {
		case lo == hi:
			out = append(out, bucket[lo])
		case lo < hi:
			out = append(out, bucket[lo], bucket[hi])
		default:
			out = append(out, bucket[hi], bucket[lo])
		}
	}
	if buckets > 0 {
		interior := points[1 : len(points)-1]
		start, current := 0, bucketOf(interior[0])
		for i, p := range interior {
			if b := bucketOf(p); b != current {
				flush(interior[start:i])
				start, current = i, b
			}
		}
		flush(interior[start:])
	}
	return append(out, last)
}
