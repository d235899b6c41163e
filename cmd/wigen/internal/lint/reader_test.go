package lint

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// jsonLines turns YAML documents into one compact JSON object per line, as
// `kubectl get -o json | jq -c '.items[]'` prints them.
func jsonLines(t *testing.T, docs ...string) string {
	t.Helper()
	var b strings.Builder
	for _, d := range docs {
		js, err := yaml.YAMLToJSON([]byte(d))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(js)
		b.WriteByte('\n')
	}
	return b.String()
}

// A JSON stream (one object per line) is read object by object, as kubectl
// reads it: every object is checked, and findings name each object's line.
// Before, everything after the first object was dropped: six objects, one
// of them with a boolean pod label, gave "1 object, no findings".
func TestJSONStream(t *testing.T) {
	e := testEnv(t)
	boolLabel := strings.Replace(goodSTS, `azure.workload.identity/use: "true"`, `azure.workload.identity/use: true`, 1)
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\n"
	objs := []string{goodSA, strings.Replace(cm, "%d", "1", 1), strings.Replace(cm, "%d", "2", 1), strings.Replace(cm, "%d", "3", 1), strings.Replace(cm, "%d", "4", 1), boolLabel}
	in := jsonLines(t, objs...)
	r, err := lint(nil, e, []Input{{Name: "s.json", Data: []byte(in)}}, Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if r.objects != 6 {
		t.Errorf("objects = %d, want 6", r.objects)
	}
	var got []string
	for _, f := range r.findings {
		got = append(got, f.File+":"+itoa(f.Line)+" "+f.ID)
	}
	if diff := cmp.Diff([]string{"s.json:6 WI023"}, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// objectLines lints in and returns "LINE KIND/NAME" for each object read.
func objectLines(t *testing.T, in string) []string {
	t.Helper()
	d := newDecoder("open-webui", Hints{})
	d.add(Input{Name: "in", Data: []byte(in)})
	if len(d.errs) > 0 {
		t.Fatalf("input errors: %v", d.errs)
	}
	var out []string
	for _, o := range d.objects {
		out = append(out, itoa(o.line)+" "+o.gvk.Kind+"/"+o.name)
	}
	return out
}

// JSON arrays, v1 Lists in JSON and YAML, pretty-printed JSON objects one
// after another: every object is read, at its own line.
func TestStreamForms(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"pretty JSON objects", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\"name\": \"a\"}\n}\n\n{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\"name\": \"b\"}\n}\n",
			[]string{"1 ConfigMap/a", "7 ConfigMap/b"}},
		{"JSON array", "[\n  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}},\n  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}\n]\n",
			[]string{"2 ConfigMap/a", "3 ConfigMap/b"}},
		{"JSON List", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}},\n  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}\n]}\n",
			[]string{"2 ConfigMap/a", "3 ConfigMap/b"}},
		{"YAML List", "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n",
			[]string{"4 ConfigMap/a", "8 ConfigMap/b"}},
		{"YAML documents", "# head\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\n\n# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
			[]string{"3 ConfigMap/a", "11 ConfigMap/b"}},
		{"CRLF YAML", "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\n",
			[]string{"1 ConfigMap/a", "6 ConfigMap/b"}},
		{"JSON then YAML", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
			[]string{"1 ConfigMap/a", "3 ConfigMap/b"}},
		{"YAML flow mapping first", "{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
			[]string{"1 ConfigMap/a", "3 ConfigMap/b"}},
		{"List in a JSON stream", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}]}\n",
			[]string{"1 ConfigMap/a", "3 ConfigMap/b"}},
		{"UTF-16LE YAML documents", utf16Text(false, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\u00e9\n"),
			[]string{"1 ConfigMap/a", "6 ConfigMap/b\u00e9"}},
		{"UTF-16BE YAML documents", utf16Text(true, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"),
			[]string{"1 ConfigMap/a", "6 ConfigMap/b"}},
		{"UTF-16LE JSON stream", utf16Text(false, "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"b\"}}\n"),
			[]string{"1 ConfigMap/a", "2 ConfigMap/b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, objectLines(t, tc.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Malformed streams are bad input at the line at fault.
func TestStreamErrors(t *testing.T) {
	e := testEnv(t)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"JSON syntax error in the third object", "{\"a\": 1}\n{\"b\": 2}\n{\"c\": \n", "in:3: invalid JSON"},
		{"JSON array of a scalar", "[1]\n", "in:1: not a Kubernetes object"},
		{"JSON array with a syntax error", "[\n{\"apiVersion\": \"v1\"},\n{\"kind\": [}\n", "in:3: invalid YAML"},
		{"JSON object not a manifest", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}\n{\"x\": 1}\n", "in:2: not a Kubernetes object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lint(nil, e, []Input{{Name: "in", Data: []byte(tc.in)}}, Hints{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// A folder is read recursively, as kubectl apply -R reads one (helm
// template --output-dir writes nested folders): *.yaml, *.yml and *.json
// files, in path order. A nested folder that is a kustomization or a chart
// is refused with what to lint instead.
func TestReadInputsRecursive(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) { t.Helper(); writeFile(t, dir, name, data) }
	write("out/open-webui/templates/sa.yaml", goodSA)
	write("out/open-webui/templates/workload/sts.yml", goodSTS)
	write("out/open-webui/charts/redis/templates/cm.json", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"r"}}`)
	write("out/open-webui/NOTES.txt", "not a manifest")
	inputs, err := readInputs([]string{filepath.Join(dir, "out")}, nil, nil, Hints{Lint: "wigen lint"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range inputs {
		rel, _ := filepath.Rel(dir, in.Name)
		names = append(names, filepath.ToSlash(rel))
	}
	want := []string{
		"out/open-webui/charts/redis/templates/cm.json",
		"out/open-webui/templates/sa.yaml",
		"out/open-webui/templates/workload/sts.yml",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}

	write("out/overlay/kustomization.yaml", "resources: [x.yaml]\n")
	write("out/overlay/x.yaml", goodSA)
	_, err = readInputs([]string{filepath.Join(dir, "out")}, nil, nil, Hints{Lint: "wigen lint"})
	if err == nil || !strings.Contains(err.Error(), "a Kustomize folder") || !strings.Contains(err.Error(), "overlay") {
		t.Errorf("nested kustomization: error = %v, want a Kustomize folder refused", err)
	}
	os.RemoveAll(filepath.Join(dir, "out", "overlay"))

	write("out/chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 1.0.0\n")
	write("out/chart/templates/sa.yaml", "{{ .Values.x }}\n")
	_, err = readInputs([]string{filepath.Join(dir, "out")}, nil, nil, Hints{Lint: "wigen lint", HelmTemplate: "helm template x"})
	if err == nil || !strings.Contains(err.Error(), "a Helm chart") {
		t.Errorf("nested chart: error = %v, want a Helm chart refused", err)
	}
}

// A device named as input (or found in a folder) is refused at once:
// /dev/zero would be read forever. A FIFO named on its own is read (it is
// what wigen lint <(helm template ...) names).
func TestReadInputsDevices(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := readInputs([]string{"/dev/zero"}, nil, nil, Hints{})
	if err == nil || !strings.Contains(err.Error(), "/dev/zero: is a device, not a file of manifests") {
		t.Errorf("/dev/zero: %v", err)
	}
	dir := t.TempDir()
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "z.yaml")); err != nil {
		t.Skip(err)
	}
	_, err = readInputs([]string{dir}, nil, nil, Hints{})
	if err == nil || !strings.Contains(err.Error(), "z.yaml: is a device") {
		t.Errorf("a folder holding a link to /dev/zero: %v", err)
	}
}

// utf16Text encodes s as UTF-16 with its byte order mark, as iconv -t
// utf-16 (little-endian) or utf-16be plus a mark writes it.
func utf16Text(big bool, s string) string {
	var b []byte
	put := func(u uint16) {
		if big {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	put(0xFEFF)
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return string(b)
}

// An input with a UTF-16 byte order mark and an odd number of bytes is bad
// input, not an empty stream.
func TestStreamOddUTF16(t *testing.T) {
	d := newDecoder("open-webui", Hints{})
	d.add(Input{Name: "in", Data: []byte("\xff\xfea\x00b")})
	if len(d.errs) != 1 || !strings.Contains(d.errs[0].Msg, "odd number of bytes") {
		t.Errorf("errors = %v, want the odd number of bytes", d.errs)
	}
}
