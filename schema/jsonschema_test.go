package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"sigs.k8s.io/yaml"
)

// jsonNode is a node of the parsed JSON Schema.
type jsonNode = map[string]any

func loadJSONSchemaDoc(t *testing.T) jsonNode {
	t.Helper()
	var doc jsonNode
	if err := json.Unmarshal(JSONSchema, &doc); err != nil {
		t.Fatalf("wigen.schema.json is not JSON: %v", err)
	}
	return doc
}

// resolve follows a local "$ref" ("#/$defs/name").
func resolve(t *testing.T, root, n jsonNode) (jsonNode, string) {
	t.Helper()
	r, ok := n["$ref"].(string)
	if !ok {
		return n, ""
	}
	name := strings.TrimPrefix(r, "#/$defs/")
	def, ok := root["$defs"].(jsonNode)[name].(jsonNode)
	if !ok {
		t.Fatalf("$ref %q does not resolve", r)
	}
	return def, name
}

// TestJSONSchemaMatchesGoTypes keeps the two descriptions of the input in
// step: every YAML field of the Go types is a property of the JSON Schema
// and back, with the same kind, required fields and enums, and every
// property has a description.
func TestJSONSchemaMatchesGoTypes(t *testing.T) {
	root := loadJSONSchemaDoc(t)
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v, want draft 2020-12", root["$schema"])
	}
	seen := map[string]bool{}
	var check func(path string, typ reflect.Type, n jsonNode)
	check = func(path string, typ reflect.Type, n jsonNode) {
		n, def := resolve(t, root, n)
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		key := typ.String() + "@" + def
		if def != "" && seen[key] {
			return
		}
		seen[key] = true
		if typ == accountsType {
			// One account or a list of them: oneOf the account's object
			// and an array of it, both compared with the Go types.
			alts := asSlice(n["oneOf"])
			if len(alts) != 2 {
				t.Errorf("%s: want oneOf [account, array of accounts], got %v", path, n["oneOf"])
				return
			}
			obj, _ := alts[0].(jsonNode)
			arr, _ := alts[1].(jsonNode)
			if arr["type"] != "array" || arr["minItems"] != 1.0 {
				t.Errorf("%s: the second alternative must be an array with minItems 1", path)
			}
			check(path, typ.Elem(), obj)
			check(path, reflect.SliceOf(typ.Elem()), arr)
			return
		}
		wantType := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Slice: "array", reflect.Struct: "object", reflect.Map: "object"}[typ.Kind()]
		if got := n["type"]; got != wantType {
			t.Errorf("%s: JSON Schema type %v, Go type %s (want %q)", path, got, typ, wantType)
		}
		switch typ.Kind() {
		case reflect.Slice:
			items, ok := n["items"].(jsonNode)
			if !ok {
				t.Errorf("%s: array without items", path)
				return
			}
			check(path+"[]", typ.Elem(), items)
		case reflect.Struct:
			if n["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties must be false (unknown fields are errors)", path)
			}
			props, _ := n["properties"].(jsonNode)
			var goNames, goRequired []string
			for _, f := range fieldsOf(typ) {
				goNames = append(goNames, f.name)
				if f.required {
					goRequired = append(goRequired, f.name)
				}
				p, ok := props[f.name].(jsonNode)
				if !ok {
					continue
				}
				if desc, _ := p["description"].(string); desc == "" {
					if r, _ := resolve(t, root, p); r["description"] == nil {
						t.Errorf("%s.%s: no description", path, f.name)
					}
				}
				ft := typ.FieldByIndex(f.index).Type
				if r, _ := resolve(t, root, p); r["examples"] == nil && r["default"] == nil && r["const"] == nil && r["type"] != "object" {
					t.Errorf("%s.%s: no example or default", path, f.name)
				}
				if len(f.enum) > 0 {
					en := p["enum"]
					if items, ok := p["items"].(jsonNode); ok {
						en = items["enum"]
					}
					var got []string
					for _, e := range asSlice(en) {
						got = append(got, e.(string))
					}
					if d := cmp.Diff(f.enum, got); d != "" {
						t.Errorf("%s.%s: enum differs (-go +json):\n%s", path, f.name, d)
					}
				}
				check(path+"."+f.name, ft, p)
			}
			var jsonNames []string
			for k := range props {
				jsonNames = append(jsonNames, k)
			}
			sort.Strings(goNames)
			sort.Strings(jsonNames)
			if d := cmp.Diff(goNames, jsonNames); d != "" {
				t.Errorf("%s: properties differ (-go +json):\n%s", path, d)
			}
			var jsonRequired []string
			for _, r := range asSlice(n["required"]) {
				jsonRequired = append(jsonRequired, r.(string))
			}
			sort.Strings(goRequired)
			sort.Strings(jsonRequired)
			if d := cmp.Diff(goRequired, jsonRequired); d != "" {
				t.Errorf("%s: required differs (-go +json):\n%s", path, d)
			}
		}
	}
	check("", reflect.TypeOf(Spec{}), root)
	for _, def := range []string{"environment", "environmentDefaults", "federation", "remoteState", "kubeconfig", "azureOpenAIAccounts", "azureOpenAI", "openWebUI"} {
		found := false
		for k := range seen {
			if strings.HasSuffix(k, "@"+def) {
				found = true
			}
		}
		if !found {
			t.Errorf("$defs.%s was never compared with a Go type", def)
		}
	}
}

// replaceAccount replaces the spec-level azureOpenAI block of doc (the
// key and its indented lines) with repl.
func replaceAccount(doc, repl string) string {
	start := strings.Index(doc, "  azureOpenAI:\n")
	if start < 0 {
		return doc
	}
	end := start + len("  azureOpenAI:\n")
	for end < len(doc) && strings.HasPrefix(doc[end:], "    ") {
		end += strings.Index(doc[end:], "\n") + 1
	}
	return doc[:start] + repl + doc[end:]
}

func asSlice(x any) []any {
	s, _ := x.([]any)
	return s
}

func compileJSONSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSONSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("wigen.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("wigen.schema.json")
	if err != nil {
		t.Fatalf("compile wigen.schema.json: %v", err)
	}
	return sch
}

// validateWithJSONSchema validates YAML bytes against the JSON Schema.
func validateWithJSONSchema(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatalf("YAML to JSON: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// TestExamplesValidate: every golden input, the starter file of `wigen
// init` and every wigen.yaml example in the README and the reference pages
// it links to are valid for both the JSON Schema and Load.
func TestExamplesValidate(t *testing.T) {
	sch := compileJSONSchema(t)
	type example struct {
		name string
		data []byte
	}
	var examples []example
	inputs, _ := filepath.Glob("../golden/*/wigen.yaml")
	if len(inputs) == 0 {
		t.Fatal("no golden inputs found")
	}
	for _, f := range inputs {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		examples = append(examples, example{f, data})
	}
	if data, err := os.ReadFile("../templates/starter-wigen.yaml.tmpl"); err == nil {
		examples = append(examples, example{"templates/starter-wigen.yaml.tmpl", data})
	}
	// Every markdown file holding user documentation (userDocs): a file
	// that moved without the list noticing fails here rather than leaving
	// its examples untested.
	yamlBlock := regexp.MustCompile("(?ms)^```yaml\n(.*?)^```")
	for _, doc := range userDocs {
		text, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(doc)))
		if err != nil {
			t.Errorf("%s: %v", doc, err)
			continue
		}
		n := 0
		for i, b := range yamlBlock.FindAllSubmatch(text, -1) {
			if bytes.Contains(b[1], []byte("apiVersion: "+APIVersion)) {
				n++
				examples = append(examples, example{fmt.Sprintf("%s yaml block %d", doc, i), b[1]})
			}
		}
		if doc == "README.md" && n == 0 {
			t.Error("README.md shows no wigen.yaml example (a ```yaml block with apiVersion: wigen/v1alpha1)")
		}
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			if err := validateWithJSONSchema(t, sch, ex.data); err != nil {
				t.Errorf("JSON Schema: %v", err)
			}
			if _, err := LoadBytes("wigen.yaml", ex.data); err != nil {
				t.Errorf("Load:\n%v", err)
			}
		})
	}
}

// TestJSONSchemaRefusesWhatLoadRefuses spot-checks that the JSON Schema,
// which editors use, catches the structural mistakes Load catches.
func TestJSONSchemaRefusesWhatLoadRefuses(t *testing.T) {
	sch := compileJSONSchema(t)
	for name, doc := range map[string]string{
		"unknown field":                strings.Replace(validDoc, "    namespace: open-webui\n", "    namespce: open-webui\n", 1),
		"bad target":                   strings.Replace(validDoc, "spec:\n", "spec:\n  targets: [terraform, pulumi]\n", 1),
		"missing chart":                strings.Replace(validDoc, "  chart:\n    version: 7.2.0\n    imageTag: v0.6.33\n", "", 1),
		"boolean as string":            strings.Replace(validDoc, "      identity:\n", "      createNamespace: \"yes\"\n      identity:\n", 1),
		"two issuers":                  strings.Replace(validDoc, "fromCluster: true", "{fromCluster: true, url: \"https://example.com/\"}", 1),
		"default service account":      strings.Replace(validDoc, "serviceAccount: open-webui", "serviceAccount: default", 1),
		"Windows device name":          strings.Replace(validDoc, "- name: prod", "- name: nul", 1),
		"number as a name":             strings.Replace(validDoc, "- name: prod", "- name: 123", 1),
		"no account":                   replaceAccount(validDoc, "  azureOpenAI: []\n"),
		"account a string":             replaceAccount(validDoc, "  azureOpenAI: aoai\n"),
		"prefixId with dot":            strings.Replace(validDoc, "    deployments: [gpt-4o]\n", "    deployments: [gpt-4o]\n    prefixId: eu.west\n", 1),
		"modelAccess typo":             strings.Replace(validDoc, "spec:\n", "spec:\n  openWebUI:\n    modelAccess: everybody\n", 1),
		"persistentConfig as a string": strings.Replace(validDoc, "spec:\n", "spec:\n  openWebUI:\n    persistentConfig: \"false\"\n", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if doc == validDoc {
				t.Fatal("the test's edit did not apply")
			}
			if err := validateWithJSONSchema(t, sch, []byte(doc)); err == nil {
				t.Error("JSON Schema accepted it")
			}
			if _, err := LoadBytes("wigen.yaml", []byte(doc)); err == nil {
				t.Error("Load accepted it")
			}
		})
	}
}

// TestJSONSchemaExamplesAreValid: every "examples" entry in the JSON
// Schema is valid for the subschema it illustrates.
func TestJSONSchemaExamplesAreValid(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSONSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("wigen.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(ptr string, x any)
	walk = func(ptr string, x any) {
		m, ok := x.(map[string]any)
		if !ok {
			return
		}
		if exs, ok := m["examples"].([]any); ok {
			sch, err := c.Compile("wigen.schema.json#" + ptr)
			if err != nil {
				t.Fatalf("compile %s: %v", ptr, err)
			}
			for _, ex := range exs {
				n++
				if err := sch.Validate(ex); err != nil {
					t.Errorf("%s: example %v: %v", ptr, ex, err)
				}
			}
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "examples" || k == "default" || k == "enum" || k == "const" || k == "required" {
				continue
			}
			walk(ptr+"/"+strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"), m[k])
		}
	}
	walk("", doc)
	if n < 40 {
		t.Errorf("only %d examples checked", n)
	}
}

// TestReadmeDocumentsNestedFields keeps schema/README.md in step with the
// JSON Schema: for every property P whose value is an object of the
// schema ($defs, directly, as list items or in a oneOf), each field F of
// that object is named, as a code span, in one passage of the README that
// also names P (a row of a table, or a paragraph), e.g. `remoteState` with
// its `output`. The rows of spec.environments[] and spec.defaults, which
// document each environment field on its own row, are exempt.
func TestReadmeDocumentsNestedFields(t *testing.T) {
	root := loadJSONSchemaDoc(t)
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var passages []map[string]bool
	word := regexp.MustCompile("`([^`]+)`")
	sep := regexp.MustCompile(`[^A-Za-z0-9_]+`)
	add := func(text string) {
		names := map[string]bool{}
		for _, m := range word.FindAllStringSubmatch(text, -1) {
			for _, n := range sep.Split(m[1], -1) {
				names[n] = true
			}
		}
		passages = append(passages, names)
	}
	for _, para := range strings.Split(string(data), "\n\n") {
		rest := []string{}
		for _, l := range strings.Split(para, "\n") {
			if strings.HasPrefix(l, "|") {
				add(l)
			} else {
				rest = append(rest, l)
			}
		}
		add(strings.Join(rest, "\n"))
	}
	documented := func(p, f string) bool {
		for _, names := range passages {
			if names[p] && names[f] {
				return true
			}
		}
		return false
	}
	child := func(n jsonNode) (jsonNode, string) {
		for _, c := range append([]any{n, n["items"]}, append(asList(n["oneOf"]), asList(n["anyOf"])...)...) {
			if c, ok := c.(jsonNode); ok {
				if item, ok := c["items"].(jsonNode); ok {
					c = item
				}
				if d, name := resolve(t, root, c); name != "" {
					return d, name
				}
			}
		}
		return nil, ""
	}
	defs := root["$defs"].(jsonNode)
	n := 0
	for _, parent := range sortedKeys(defs) {
		props, _ := defs[parent].(jsonNode)["properties"].(jsonNode)
		for _, p := range sortedKeys(props) {
			if parent == "spec" && (p == "environments" || p == "defaults") {
				continue
			}
			d, name := child(props[p].(jsonNode))
			if d == nil {
				continue
			}
			fields, _ := d["properties"].(jsonNode)
			for _, f := range sortedKeys(fields) {
				n++
				if !documented(p, f) {
					t.Errorf("schema/README.md: no passage names both `%s` and its field `%s` (%s.%s, $defs/%s)", p, f, parent, p, name)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("checked %d nested fields; the walk misses the schema's objects", n)
	}
}

func asList(x any) []any {
	l, _ := x.([]any)
	return l
}
