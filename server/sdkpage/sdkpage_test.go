package sdkpage

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func engine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	Register(e)
	return e
}

func get(t *testing.T, h http.Handler, path string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestPage(t *testing.T) {
	e := engine()
	w := get(t, e, "/sdk/")
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /sdk/: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	if strings.Contains(body, versionPlaceholder) || !strings.Contains(body, "/sdk/assets/"+served.version+"/app.js") {
		t.Fatalf("asset URLs not versioned:\n%s", body)
	}
	if !strings.Contains(body, "Sandbox test credentials") {
		t.Fatal("no hint panel")
	}
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors *") || w.Header().Get("X-Frame-Options") != "" {
		t.Fatalf("the page must be embeddable anywhere: CSP %q, XFO %q", csp, w.Header().Get("X-Frame-Options"))
	}
	// Every URL the page names is served.
	for _, m := range regexp.MustCompile(`(?:href|src)="(/sdk/[^"]+)"`).FindAllStringSubmatch(body, -1) {
		if r := get(t, e, m[1]); r.Code != 200 {
			t.Errorf("%s: %d", m[1], r.Code)
		}
	}
	if w := get(t, e, "/sdk"); w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/sdk/" {
		t.Fatalf("GET /sdk: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := get(t, e, "/sdk/", "If-None-Match", served.index.etag); w.Code != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", w.Code)
	}
}

func TestAssets(t *testing.T) {
	e := engine()
	want := map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	if len(served.assets) < 5 {
		t.Fatalf("assets: %v", served.assets)
	}
	for name, f := range served.assets {
		w := get(t, e, "/sdk/assets/"+served.version+"/"+name)
		if w.Code != 200 || w.Body.String() != string(f.body) {
			t.Fatalf("%s: %d", name, w.Code)
		}
		if ct := want[filepath.Ext(name)]; ct != "" && w.Header().Get("Content-Type") != ct {
			t.Errorf("%s: Content-Type %q", name, w.Header().Get("Content-Type"))
		}
		if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s (current version): Cache-Control %q", name, cc)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", name)
		}
		for _, p := range []string{"/sdk/assets/" + name, "/sdk/assets/000000000000/" + name} {
			w := get(t, e, p)
			if w.Code != 200 || w.Header().Get("Cache-Control") != "no-cache" || w.Body.String() != string(f.body) {
				t.Errorf("%s: %d %q", p, w.Code, w.Header().Get("Cache-Control"))
			}
		}
		if w := get(t, e, "/sdk/assets/"+name, "If-None-Match", `"x", `+f.etag); w.Code != http.StatusNotModified {
			t.Errorf("%s If-None-Match: %d", name, w.Code)
		}
	}
	for _, p := range []string{"/sdk/assets/nope.js", "/sdk/assets/" + served.version + "/nope.js", "/sdk/assets/../sdkpage.go", "/sdk/assets/"} {
		if w := get(t, e, p); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
}

// Every relative import of a module names an asset.
func TestModuleImportsResolve(t *testing.T) {
	imports := regexp.MustCompile(`(?m)^\s*(?:import|export)\b[^"']*?from\s+["']\./([^"']+)["']`)
	for name, f := range served.assets {
		if filepath.Ext(name) != ".js" {
			continue
		}
		for _, m := range imports.FindAllStringSubmatch(string(f.body), -1) {
			if _, ok := served.assets[m[1]]; !ok {
				t.Errorf("%s imports ./%s, which is not an asset", name, m[1])
			}
		}
	}
}

func TestDropInScripts(t *testing.T) {
	e := engine()
	for _, c := range []struct{ path, must string }{
		{"/sdk/knotapi.js", "global.KnotapiJS = createKnotapiJS("},
		{"/sdk/knotapi.mjs", "export default KnotapiJS;"},
	} {
		w := get(t, e, c.path)
		if w.Code != 200 || w.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Fatalf("%s: %d %q", c.path, w.Code, w.Header().Get("Content-Type"))
		}
		if w.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: modules from other sites need CORS", c.path)
		}
		body := w.Body.String()
		if !strings.Contains(body, c.must) || !strings.Contains(body, "function createKnotapiJS(sandboxBase)") {
			t.Fatalf("%s lacks %q", c.path, c.must)
		}
		if strings.Contains(body, "knotapi.com") || strings.Contains(body, "vercel.app") {
			t.Errorf("%s names Knot's hosts; it must only talk to the sandbox", c.path)
		}
	}
	if w := httptest.NewRecorder(); true {
		e.ServeHTTP(w, httptest.NewRequest(http.MethodHead, "/sdk/knotapi.js", nil))
		if w.Code != 200 {
			t.Fatalf("HEAD: %d", w.Code)
		}
	}
}

// node runs a script with Node.js, when it is installed.
func node(t *testing.T, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("node %v: %v\n%s", args, err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1] // the constructors log "KnotapiJS loaded", as knotapi-js's does
}

// The drop-in scripts load: the classic one defines the global KnotapiJS
// (also as KnotapiJS.default, like knotapi-js's UMD build), the module
// exports it as default; both open the page next to the script.
func TestDropInScriptsRun(t *testing.T) {
	dir := t.TempDir()
	classic := filepath.Join(dir, "knotapi.js")
	module := filepath.Join(dir, "knotapi.mjs")
	if err := os.WriteFile(classic, []byte(ClassicScript()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(module, []byte(ModuleScript()), 0o644); err != nil {
		t.Fatal(err)
	}
	got := node(t, "-e", `
const vm = require("vm"), fs = require("fs");
const window = {};
const document = {currentScript: {src: "http://127.0.0.1:9/sdk/knotapi.js"}, querySelectorAll: () => []};
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"), {window, document, URL, console, location: {href: "http://x/"}});
const K = window.KnotapiJS;
console.log(typeof K, K.default === K, K.sandbox, typeof new K().open);
`, classic)
	if got != "function true http://127.0.0.1:9/sdk/ function" {
		t.Fatalf("classic script: %q", got)
	}
	got = node(t, "--input-type=module", "-e", `
const m = await import(process.argv[1]);
const K = m.default;
console.log(typeof K, m.KnotapiJS === K, K.sandbox.endsWith("/"), typeof new K().open);
`, "file://"+module)
	if got != "function true true function" {
		t.Fatalf("module: %q", got)
	}
}

// Every page module is valid JavaScript, and knotapi-js's name conversion
// gives back the name each SDK event was posted for.
func TestPageModules(t *testing.T) {
	dir := t.TempDir()
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".js" {
			return err
		}
		body, _ := fs.ReadFile(assetFS, p)
		return os.WriteFile(filepath.Join(dir, strings.TrimSuffix(filepath.Base(p), ".js")+".mjs"), body, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"app", "api", "dom", "protocol", "screens"} {
		node(t, "--check", filepath.Join(dir, name+".mjs"))
	}
	// protocol.js touches window and document only in functions.
	got := node(t, "--input-type=module", "-e", `
globalThis.window = {parent: null};
const p = await import(process.argv[1]);
const names = ["MERCHANT_CLICKED", "LOGIN_STARTED", "AUTHENTICATED", "OTP_REQUIRED", "QUESTIONS_REQUIRED",
  "SECURITY_QUESTIONS_REQUIRED", "APPROVAL_REQUIRED", "ZIPCODE_REQUIRED", "LICENSE_REQUIRED", "REFRESH_SESSION_REQUEST",
  "STEP_2_DONE", "A2B", "X"];
const out = names.map((n) => p.uiEventName(n) + ">" + (p.toUpperSnakeCase(p.uiEventName(n)) === n));
console.log(out.join(" "));
`, "file://"+filepath.Join(dir, "protocol.mjs"))
	want := "merchantClicked>true loginStarted>true authenticated>true otpRequired>true questionsRequired>true " +
		"securityQuestionsRequired>true approvalRequired>true zipcodeRequired>true licenseRequired>true " +
		"refreshSessionRequest>true STEP_2_DONE>true a2b>true x>true"
	if got != want {
		t.Fatalf("event names:\n got %s\nwant %s", got, want)
	}
}
