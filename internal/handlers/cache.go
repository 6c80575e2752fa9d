package handlers

import (
	"fmt"
	"net/http"
	"sync"
)

// pageCache keeps rendered pages while nothing they show has changed: the store's version (every write bumps
// it), the account the browser shows and every sync's status are part of the key. A decade of history then costs
// one computation per change rather than one per page view.
type pageCache struct {
	mu    sync.Mutex
	pages map[string][]byte
}

// maxCachedPages bounds the cache: a handful of pages and ranges are all one person looks at.
const maxCachedPages = 64

func (c *pageCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.pages[key]
	return b, ok
}

func (c *pageCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil || len(c.pages) >= maxCachedPages {
		c.pages = map[string][]byte{} // old versions' pages are never asked for again: start over
	}
	c.pages[key] = b
}

// cacheKey names what a page depends on. It is read before the page is computed, so a write during the
// computation makes the stored page stale at once.
func (h *Handler) cacheKey(r *http.Request) string {
	acct := int64(0)
	if a, err := h.currentAccount(r); err == nil {
		acct = a.ID
	}
	return fmt.Sprintf("%d|%d|%d|%s|%s|%t", h.store.Version(), h.sync.Changes(), acct, r.URL.Path, r.URL.RawQuery,
		signInOf(r.Context()) != nil)
}

// cached serves a page from the cache, or builds it with render and keeps it. render returns the page's bytes
// and whether they may be kept (error pages are not).
func (h *Handler) cached(w http.ResponseWriter, r *http.Request, render func() ([]byte, bool)) {
	key := h.cacheKey(r)
	b, ok := h.cache.get(key)
	if !ok {
		var keep bool
		if b, keep = render(); b == nil {
			return // render wrote an error page itself
		}
		if keep {
			h.cache.put(key, b)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
