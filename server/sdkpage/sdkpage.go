// Package sdkpage serves the sandbox's stand-in for Knot's hosted SDK UI
// and a drop-in replacement of the knotapi-js script.
//
// The page (GET /sdk/) is what knotapi-js loads in its iframe: it waits for
// the SDK's init message, runs the login flow through the headless SDK API
// (/_mock/sdk/..., docs/scenarios.md) and posts loadingFinished, event,
// success, error and close messages to the embedding page. Its scripts and
// styles are hand-written ES modules embedded in the binary: no build step,
// no CDN.
//
// The drop-in script (GET /sdk/knotapi.js, a classic script defining the
// global KnotapiJS, and GET /sdk/knotapi.mjs, an ES module exporting it as
// default) has knotapi-js's API, DOM and messages, but opens the sandbox's
// page and sends its analytics to the sandbox.
package sdkpage

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

//go:embed assets
var assetFS embed.FS

//go:embed knotapi-core.js
var dropinCore string

// versionPlaceholder in index.html becomes the assets' content hash, so the
// page loads them from a URL that changes whenever they do.
const versionPlaceholder = "{{ASSETS_VERSION}}"

// file is one response body prepared at start-up.
type file struct {
	body        []byte
	contentType string
	etag        string
}

func newFile(body []byte, contentType string) file {
	sum := sha256.Sum256(body)
	return file{body: body, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// contentTypes are the types of the assets, fixed here rather than taken
// from the system's MIME tables.
var contentTypes = map[string]string{
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".html": "text/html; charset=utf-8",
	".png":  "image/png",
	".json": "application/json",
}

// site is everything the routes serve.
type site struct {
	version string          // hash of all assets
	assets  map[string]file // by path under assets/
	index   file
	script  file // knotapi.js
	module  file // knotapi.mjs
}

var served = mustLoad()

func mustLoad() *site {
	s, err := load(assetFS)
	if err != nil {
		panic("sdkpage: " + err.Error())
	}
	return s
}

func load(fsys fs.FS) (*site, error) {
	s := &site{assets: map[string]file{}}
	all := sha256.New()
	var index []byte
	err := fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "assets/")
		all.Write([]byte(name))
		all.Write(body)
		if name == "index.html" {
			index = body
			return nil
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			ct = "application/octet-stream"
		}
		s.assets[name] = newFile(body, ct)
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.version = hex.EncodeToString(all.Sum(nil)[:6])
	s.index = newFile([]byte(strings.ReplaceAll(string(index), versionPlaceholder, s.version)), contentTypes[".html"])
	s.script = newFile([]byte(ClassicScript()), contentTypes[".js"])
	s.module = newFile([]byte(ModuleScript()), contentTypes[".mjs"])
	return s, nil
}

// ClassicScript is the drop-in knotapi.js: a classic script defining the
// global KnotapiJS, which opens the page next to the script's own URL.
func ClassicScript() string {
	return "/*! knotmock drop-in for knotapi-js: opens the sandbox's SDK page. */\n" +
		"(function (global) {\n\"use strict\";\n" + dropinCore +
		"\nconst current = document.currentScript && document.currentScript.src;\n" +
		"const found = current || [...document.querySelectorAll(\"script[src]\")].map((s) => s.src).find((src) => /\\/knotapi\\.js(\\?|#|$)/.test(src));\n" +
		"global.KnotapiJS = createKnotapiJS(new URL(\"./\", found || new URL(\"/sdk/\", location.href)).href);\n" +
		"})(typeof window !== \"undefined\" ? window : globalThis);\n"
}

// ModuleScript is the drop-in knotapi.mjs: the same body as an ES module
// whose default export is KnotapiJS.
func ModuleScript() string {
	return "/*! knotmock drop-in for knotapi-js: opens the sandbox's SDK page. */\n" + dropinCore +
		"\nconst KnotapiJS = createKnotapiJS(new URL(\"./\", import.meta.url).href);\n" +
		"export default KnotapiJS;\nexport { KnotapiJS };\n"
}

// Register mounts the page, its assets and the drop-in scripts.
func Register(r gin.IRoutes) {
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		r.Handle(m, "/sdk", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/sdk/") })
		r.Handle(m, "/sdk/", servePage)
		r.Handle(m, "/sdk/assets/*path", serveAsset)
		r.Handle(m, "/sdk/knotapi.js", serveScript(served.script))
		r.Handle(m, "/sdk/knotapi.mjs", serveScript(served.module))
	}
}

// pagePolicy lets any site frame the page (knotapi-js embeds it) and
// limits what the page itself loads: its own scripts and styles, merchant
// logos from anywhere, API calls to its own origin.
const pagePolicy = "default-src 'self'; img-src * data:; script-src 'self'; style-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *"

func servePage(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("Cache-Control", "no-cache")
	write(c, served.index)
}

// serveAsset serves /sdk/assets/<version>/<name> as immutable (the page
// asks for the current version) and /sdk/assets/<name>, or another
// version, as revalidated on every use.
func serveAsset(c *gin.Context) {
	p := strings.TrimPrefix(c.Param("path"), "/")
	immutable := false
	if v, rest, ok := strings.Cut(p, "/"); ok && v == served.version {
		p, immutable = rest, true
	} else if ok && isVersion(v) {
		p = rest
	}
	f, ok := served.assets[p]
	if !ok {
		c.Data(http.StatusNotFound, "text/plain; charset=utf-8", []byte("404 page not found\n"))
		return
	}
	if immutable {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	write(c, f)
}

func isVersion(s string) bool {
	if len(s) != len(served.version) {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// serveScript serves a drop-in script; any site may load it (modules are
// fetched with CORS).
func serveScript(f file) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Access-Control-Allow-Origin", "*")
		c.Header("Cache-Control", "no-cache")
		write(c, f)
	}
}

func write(c *gin.Context, f file) {
	h := c.Writer.Header()
	h.Set("ETag", f.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if match := c.GetHeader("If-None-Match"); match != "" && etagMatches(match, f.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, f.contentType, f.body)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
