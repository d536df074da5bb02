package scenarios

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// schemaErr validates a YAML scenario file against the schema.
func schemaErr(t *testing.T, sch *jsonschema.Schema, src []byte) error {
	t.Helper()
	js, err := yaml.YAMLToJSON(src)
	if err != nil {
		t.Fatalf("YAMLToJSON: %v\n%s", err, src)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	return sch.Validate(v)
}

func TestSchemaAcceptsValidFiles(t *testing.T) {
	sch := compileSchema(t)
	files := map[string][]byte{"everyKind": []byte(everyKind)}
	entries, _ := builtinFS.ReadDir("builtin")
	for _, e := range entries {
		files["builtin/"+e.Name()], _ = builtinFS.ReadFile("builtin/" + e.Name())
	}
	examples, _ := filepath.Glob("examples/*.yaml")
	for _, path := range examples {
		files[path] = readFile(t, path)
	}
	if len(files) != 1+26+3 {
		t.Fatalf("%d files", len(files))
	}
	for name, src := range files {
		if err := schemaErr(t, sch, src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestSchemaAndParserReject: files both the schema and the parser refuse.
func TestSchemaAndParserReject(t *testing.T) {
	sch := compileSchema(t)
	for name, src := range map[string]string{
		"unknown key":           "name: t\nfoo: 1\nsteps: [{end: success}]\n",
		"missing name":          "steps: [{end: success}]\n",
		"bad name":              "name: Bad Name\nsteps: [{end: success}]\n",
		"empty steps":           "name: t\nsteps: []\n",
		"unknown product":       "name: t\nmatch: {products: [shopping]}\nsteps: [{end: success}]\n",
		"merchant zero":         "name: t\nmatch: {merchants: [0]}\nsteps: [{end: success}]\n",
		"two kinds":             withSteps("  - sdk: LOGIN_STARTED\n    webhook: OTP_REQUIRED\n"),
		"no kind":               withSteps("  - sdkk: LOGIN_STARTED\n"),
		"unknown sdk event":     withSteps("  - sdk: LOGIN_DONE\n"),
		"bad duration":          withSteps("  - delay: soon\n"),
		"negative duration":     withSteps("  - delay: -1s\n"),
		"negative attempts":     withSteps("  - input: otp\n    expect: \"1\"\n    attempts: -1\n"),
		"unknown input kind":    withSteps("  - input: sms\n    expect: \"1\"\n"),
		"otp without expect":    withSteps("  - input: otp\n"),
		"questions no list":     withSteps("  - input: questions\n    expect: [a]\n"),
		"approval with expect":  withSteps("  - input: approval\n    expect: \"1\"\n"),
		"exhausted no attempts": withSteps("  - input: otp\n    expect: \"1\"\n    on_exhausted: []\n"),
		"nested bad step":       withSteps("  - input: approval\n    on_wrong:\n      - end: later\n"),
		"option outside":        withSteps("  - authenticate: {}\n    send_card: false\n"),
		"unknown inner option":  withSteps("  - transactions: {old: 1}\n"),
		"negative new":          withSteps("  - transactions: {new: -1}\n"),
		"bad account":           withSteps("  - account: linked\n"),
		"bad vault":             withSteps("  - vault: failed\n"),
		"status missing":        withSteps("  - merchant_status: {platform: ios}\n"),
		"fault two outcomes":    withSteps("  - fault: {operation: card_switch, status: 500, delay: 1s}\n"),
		"fault no outcome":      withSteps("  - fault: {operation: card_switch}\n"),
		"fault times zero":      withSteps("  - fault: {operation: card_switch, status: 500, times: 0}\n"),
		"end error":             withSteps("  - end: error\n"),
		"end error empty":       withSteps("  - end: {error: \"\"}\n"),
		"empty login_error":     withSteps("  - login_error: \"\"\n"),
	} {
		if err := schemaErr(t, sch, []byte(src)); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
		if _, err := ParseFile("t.yaml", []byte(src), Options{}); err == nil {
			t.Errorf("%s: the parser accepts it", name)
		}
	}
}
