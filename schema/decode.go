package schema

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/agext/levenshtein"
	"go.yaml.in/yaml/v3"
)

// Input limits. They keep a hostile or broken file from costing more than a
// moment: wigen.yaml is a small hand-written file.
const (
	// MaxInputBytes is the largest input Load reads (1 MiB).
	MaxInputBytes = 1 << 20
	// MaxNodes bounds the YAML nodes decoded in all, counting every
	// environment's copy of spec.defaults.
	MaxNodes = 1_000_000
	// MaxAliasNodes bounds the nodes decoded through YAML aliases
	// (protects against "billion laughs" documents).
	MaxAliasNodes = 10_000
	// MaxDepth bounds the nesting of mappings and sequences.
	MaxDepth = 64
)

// pos is where a decoded value was written.
type pos struct {
	line, col int
	written   string // the field path as written in the file
}

// decoder turns a yaml.v3 node tree into the Go types, strictly: unknown
// fields, duplicate keys, wrong kinds and missing required fields are all
// collected as diagnostics, never the first one only.
type decoder struct {
	file    string
	diags   Diagnostics
	at      map[string]pos        // logical field path -> where it was written
	written map[*yaml.Node]string // node -> field path as written
	nodes   int
	aliased int // nodes decoded through an alias
	inAlias int // > 0 while decoding below an alias
	stopped bool
	partial int // > 0 while decoding spec.defaults and spec-level fallbacks: required fields are checked after the merge
	// suggested holds the field paths an unknown key was taken for (a
	// typo); "is required" is not reported for them.
	suggested map[string]bool
	// blank holds the fields (paths as written) of the typed input written
	// as null or "": a mistake, never a way to ask for a default.
	blank map[string]pos
	// single holds the logical paths of azureOpenAI fields written as one
	// account (a mapping) rather than a list: their account is reported
	// without an index.
	single map[string]bool
}

// accountsType is the type of azureOpenAI, a list that may be written as one mapping.
var accountsType = reflect.TypeOf(AzureOpenAIAccounts{})

func newDecoder(file string) *decoder {
	return &decoder{file: file, at: map[string]pos{}, written: map[*yaml.Node]string{}, suggested: map[string]bool{}, blank: map[string]pos{}, single: map[string]bool{}}
}

// errorAt records an error at node n with path p.
func (d *decoder) errorAt(n *yaml.Node, p, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{File: d.file, Line: n.Line, Column: n.Column, Path: p, Message: fmt.Sprintf(format, args...)})
}

// parseYAML parses exactly one YAML document.
func (d *decoder) parseYAML(data []byte) *yaml.Node {
	if len(data) > MaxInputBytes {
		d.diags = append(d.diags, Diagnostic{File: d.file, Message: fmt.Sprintf("the file is larger than 1 MiB (%d bytes), the most wigen reads; wigen.yaml is meant to be small", MaxInputBytes)})
		return nil
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.diags = append(d.diags, Diagnostic{File: d.file, Message: "the file is empty; `wigen init` writes a starter wigen.yaml"})
			return nil
		}
		d.yamlError(err, data)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorAt(&extra, "", "the file holds more than one YAML document; wigen reads one (remove the second \"---\")")
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.yamlError(err, data)
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			d.diags = append(d.diags, Diagnostic{File: d.file, Message: "the file is empty; `wigen init` writes a starter wigen.yaml"})
			return nil
		}
		root = root.Content[0]
	}
	return root
}

// yamlError turns a yaml.v3 parse error into a diagnostic, positioned
// and worded by YAMLError; an unknown alias has no line, so it is looked up.
func (d *decoder) yamlError(err error, data []byte) {
	if m := unknownAnchorRE.FindStringSubmatch(strings.TrimPrefix(err.Error(), "yaml: ")); m != nil {
		line, col := findAlias(data, m[1])
		d.diags = append(d.diags, Diagnostic{File: d.file, Line: line, Column: col, Message: "invalid YAML: unknown anchor " + Quote(m[1]) + " referenced; define the anchor (&" + EscapeText(m[1]) + ") before its first use"})
		return
	}
	line, col, msg := YAMLError(data, err.Error())
	d.diags = append(d.diags, Diagnostic{File: d.file, Line: line, Column: col, Message: "invalid YAML: " + msg})
}

var unknownAnchorRE = lazyRE(`^unknown anchor '(.*)' referenced$`)

// findAlias returns the line and column (1-based, in bytes) of the first
// use of alias *name in data, or 0, 0.
func findAlias(data []byte, name string) (int, int) {
	for i, line := range strings.Split(string(data), "\n") {
		for j := 0; ; {
			k := strings.Index(line[j:], "*"+name)
			if k < 0 {
				break
			}
			end := j + k + 1 + len(name)
			if end == len(line) || strings.ContainsRune(" \t\r,]}#", rune(line[end])) {
				return i + 1, j + k + 1
			}
			j = end
		}
	}
	return 0, 0
}

// index records the written path of every node reachable without following
// aliases, so values merged from spec.defaults keep the name the user wrote.
func (d *decoder) index(n *yaml.Node, p string, depth int) {
	if n == nil || depth > MaxDepth {
		return
	}
	if _, seen := d.written[n]; seen {
		return
	}
	d.written[n] = p
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			d.index(n.Content[i+1], joinKey(p, n.Content[i].Value), depth+1)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			d.index(c, fmt.Sprintf("%s[%d]", p, i), depth+1)
		}
	}
}

// writtenOf is the path as written for node n, or fallback when n was made
// by the defaults merge.
func (d *decoder) writtenOf(n *yaml.Node, fallback string) string {
	if w, ok := d.written[n]; ok {
		return w
	}
	return fallback
}

// isIdent reports whether key matches ^[A-Za-z_][A-Za-z0-9_-]*$ (a field
// name printed without quotes in paths).
func isIdent(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// joinKey appends a mapping key to a field path: a.b for plain keys,
// a["azure.workload.identity/use"] for keys that are not identifiers.
func joinKey(p, key string) string {
	if isIdent(key) {
		if p == "" {
			return key
		}
		return p + "." + key
	}
	return p + "[" + Quote(key) + "]"
}

// isEmpty reports whether n is null, "" or an empty mapping or list.
func isEmpty(n *yaml.Node) bool {
	if n == nil {
		return true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return isNull(n) || (n.Value == "" && n.ShortTag() == "!!str")
	case yaml.MappingNode, yaml.SequenceNode:
		return len(n.Content) == 0
	}
	return false
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// deref follows aliases, counting each expansion against MaxNodes.
func (d *decoder) deref(n *yaml.Node, p string) *yaml.Node {
	for hops := 0; n != nil && n.Kind == yaml.AliasNode; hops++ {
		if hops > MaxDepth {
			d.errorAt(n, p, "YAML alias chain is longer than %d", MaxDepth)
			d.stopped = true
			return nil
		}
		n = n.Alias
	}
	return n
}

// visit counts a node against MaxNodes and MaxDepth; false means stop.
func (d *decoder) visit(n *yaml.Node, p string, depth int) bool {
	if d.stopped {
		return false
	}
	d.nodes++
	if d.inAlias > 0 {
		d.aliased++
	}
	if d.aliased > MaxAliasNodes {
		d.errorAt(n, p, "YAML aliases expand to more than %d nodes; wigen.yaml is meant to be small", MaxAliasNodes)
		d.stopped = true
		return false
	}
	if d.nodes > MaxNodes {
		d.errorAt(n, p, "the document expands to more than %d YAML nodes; wigen.yaml is meant to be small", MaxNodes)
		d.stopped = true
		return false
	}
	if depth > MaxDepth {
		d.errorAt(n, p, "nested deeper than %d levels", MaxDepth)
		d.stopped = true
		return false
	}
	return true
}

// fieldInfo describes one YAML field of a Go struct, with inline structs flattened.
type fieldInfo struct {
	name     string
	index    []int
	required bool
	enum     []string
}

var fieldCache sync.Map // reflect.Type -> []fieldInfo

// fieldsOf lists the YAML fields of struct type t in declaration order.
func fieldsOf(t reflect.Type) []fieldInfo {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]fieldInfo)
	}
	var out []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" {
			for _, sub := range fieldsOf(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		fi := fieldInfo{name: name, index: []int{i}}
		for _, w := range strings.Split(f.Tag.Get("wigen"), ",") {
			switch {
			case w == "required":
				fi.required = true
			case strings.HasPrefix(w, "enum="):
				fi.enum = strings.Split(strings.TrimPrefix(w, "enum="), "|")
			}
		}
		out = append(out, fi)
	}
	fieldCache.Store(t, out)
	return out
}

// suggest returns the closest of names to s, or "" when none is close.
func suggest(s string, names []string) string {
	if len(s) > 64 {
		return ""
	}
	best, bestDist := "", 1<<30
	for _, n := range names {
		dist := levenshtein.Distance(strings.ToLower(s), strings.ToLower(n), nil)
		if dist < bestDist {
			best, bestDist = n, dist
		}
	}
	if bestDist <= 2 || (bestDist <= 3 && len(s) > 8) {
		return best
	}
	return ""
}

// decode fills v from node n. logical is the field path in the decoded model
// (environments after the merge); written is the path as the user wrote it.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, logical, written string, depth int) {
	if !d.visit(n, written, depth) {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = d.deref(n, written)
		if n == nil {
			return
		}
		d.inAlias++
		defer func() { d.inAlias-- }()
	}
	d.at[logical] = pos{line: n.Line, col: n.Column, written: written}
	if n.Kind == yaml.ScalarNode && (isNull(n) || (n.Value == "" && n.ShortTag() == "!!str")) {
		d.blank[written] = pos{line: n.Line, col: n.Column, written: written}
	}
	if isNull(n) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), logical, written, depth)
	case reflect.Struct:
		d.decodeStruct(n, v, logical, written, depth)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.errorAt(n, written, "must be a string, not a %s", kindName(n))
			return
		}
		switch n.ShortTag() {
		case "!!bool":
			d.errorAt(n, written, "must be a string, not the boolean %s; quote it if you mean the text", n.Value)
			return
		case "!!int", "!!float":
			// The JSON Schema says string: an editor flags it, and YAML
			// would read 010 as 8 and 1.10 as 1.1 elsewhere.
			d.errorAt(n, written, "must be a string, not the number %s; quote it: %s", EscapeText(n.Value), Quote(n.Value))
			return
		}
		if r, ok := firstUnprintable(n.Value); ok {
			d.errorAt(n, written, "must be plain text: %s holds %s, a character no name, ID, URL, path or version holds; remove it", Quote(n.Value), describeRune(r))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" && (n.Value == "true" || n.Value == "false") {
			d.errorAt(n, written, "must be true or false, not the string %s: remove the quotes", Quote(n.Value))
			return
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.errorAt(n, written, "must be true or false, not %s", describe(n))
			return
		}
		b, err := strconv.ParseBool(strings.ToLower(n.Value))
		if err != nil {
			d.errorAt(n, written, "must be true or false, not %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Slice:
		if v.Type() == accountsType && n.Kind == yaml.MappingNode {
			// One account written as a mapping: a list of one, reported
			// under the path as written (no [0]).
			d.single[logical] = true
			s := reflect.MakeSlice(v.Type(), 1, 1)
			d.decode(n, s.Index(0), logical, written, depth+1)
			v.Set(s)
			return
		}
		if n.Kind != yaml.SequenceNode {
			if v.Type() == accountsType {
				d.errorAt(n, written, "must be a mapping (one account: accountId, endpoint, deployments) or a list of accounts, not %s", describe(n))
				return
			}
			d.errorAt(n, written, "must be a list, not %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", logical, i), d.writtenOf(c, fmt.Sprintf("%s[%d]", written, i)), depth+1)
		}
		v.Set(s)
	case reflect.Map:
		val := d.generic(n, logical, written, depth)
		if m, ok := val.(map[string]any); ok && v.Type().Elem().Kind() == reflect.String {
			d.stringMap(n, m, v, written)
		} else if ok {
			v.Set(reflect.ValueOf(m))
		} else if val != nil {
			d.errorAt(n, written, "must be a mapping, not %s", describe(n))
		}
	case reflect.Interface:
		if val := d.generic(n, logical, written, depth); val != nil {
			v.Set(reflect.ValueOf(val))
		}
	default:
		panic(fmt.Sprintf("schema: decoder has no case for %s", v.Type()))
	}
}

// stringMap sets v, a map of strings, from m, the mapping node n decoded
// by generic: every value is a scalar, read as the string fields of the
// typed input are. A value that is not (a boolean, a mapping, a list) is
// refused here and kept as "", as is null, so the key's own checks report
// nothing more at its path (suppressFollowOns) and no check takes the key
// for missing.
func (d *decoder) stringMap(n *yaml.Node, m map[string]any, v reflect.Value, written string) {
	out := reflect.MakeMapWithSize(v.Type(), len(m))
	n = d.deref(n, written)
	for i := 0; n != nil && i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i].Value, d.deref(n.Content[i+1], written)
		if _, ok := m[k]; !ok || val == nil {
			continue // refused by generic (a duplicate or non-string key)
		}
		kw := d.writtenOf(n.Content[i+1], joinKey(written, k))
		s := ""
		switch {
		case val.Kind != yaml.ScalarNode:
			d.errorAt(val, kw, "must be a string, not a %s", kindName(val))
		case val.ShortTag() == "!!bool":
			d.errorAt(val, kw, "must be a string, not the boolean %s; quote it if you mean the text", EscapeText(val.Value))
		case !isNull(val):
			s = val.Value
		}
		out.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
	}
	v.Set(out)
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, logical, written string, depth int) {
	fields := fieldsOf(v.Type())
	if n.Kind != yaml.MappingNode {
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.name
		}
		d.errorAt(n, written, "must be a mapping (fields: %s), not %s", strings.Join(names, ", "), describe(n))
		return
	}
	seen := map[string]*yaml.Node{}
	var envNode, envKey *yaml.Node
	isSpec := v.Type() == reflect.TypeOf(WorkloadSpec{})
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		kw := d.writtenOf(val, joinKey(written, k.Value))
		if k.Kind != yaml.ScalarNode {
			d.errorAt(k, written, "mapping keys must be strings, not %s", describe(k))
			continue
		}
		if k.Value == "<<" {
			d.errorAt(k, written, "YAML merge keys (<<) are not supported; put shared environment fields in spec.defaults")
			// What the merge would have brought is not also "required".
			for _, f := range fields {
				d.suggested[joinKey(written, f.name)] = true
				d.suggested[joinKey(logical, f.name)] = true
			}
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorAt(k, kw, "duplicate key; it is already set at line %d", first.Line)
			continue
		}
		seen[k.Value] = k
		fi, ok := findField(fields, k.Value)
		if !ok {
			if msg, spec := misplacedField(v.Type(), k.Value); spec {
				d.errorAt(k, kw, "%s", msg)
				continue
			}
			msg, sug := unknownField(k.Value, fields)
			d.errorAt(k, kw, "%s", msg)
			if sug != "" {
				// "serviceAcount: did you mean serviceAccount?" says it all;
				// "serviceAccount: is required" would repeat it.
				d.suggested[joinKey(written, sug)] = true
				d.suggested[joinKey(logical, sug)] = true
			}
			continue
		}
		if isSpec && fi.name == "environments" {
			envNode, envKey = val, k
			continue
		}
		fv := v.FieldByIndex(fi.index)
		if isSpec && (fi.name == "defaults" || fi.name == "azureOpenAI" || fi.name == "roles") {
			d.partial++
			d.decode(val, fv, joinKey(logical, k.Value), kw, depth+1)
			d.partial--
		} else {
			d.decode(val, fv, joinKey(logical, k.Value), kw, depth+1)
		}
		if len(fi.enum) > 0 {
			d.checkEnum(val, fi, kw)
		}
		if fi.required && d.partial == 0 && isEmpty(d.deref(val, kw)) {
			d.errorAt(val, kw, "is required and may not be empty")
		}
	}
	if isSpec && envNode != nil {
		d.decodeEnvironments(n, envKey, envNode, v.Addr().Interface().(*WorkloadSpec), logical, depth+1)
	}
	if d.partial == 0 {
		for _, fi := range fields {
			if fi.required {
				if _, ok := seen[fi.name]; !ok {
					// A mapping merged in from spec.defaults is reported under
					// the environment that lacks the field.
					p := joinKey(written, fi.name)
					if !strings.HasPrefix(written, logical) {
						p = joinKey(logical, fi.name)
					}
					d.errorAt(n, p, "is required")
				}
			}
		}
	}
}

// checkEnum checks a string or list-of-strings field against its allowed values.
func (d *decoder) checkEnum(n *yaml.Node, fi fieldInfo, written string) {
	n = d.deref(n, written)
	if n == nil {
		return
	}
	check := func(c *yaml.Node, p string) {
		if c.Kind != yaml.ScalarNode || isNull(c) {
			return
		}
		for _, e := range fi.enum {
			if c.Value == e {
				return
			}
		}
		msg := fmt.Sprintf("%s is not allowed; allowed: %s", Quote(c.Value), strings.Join(fi.enum, ", "))
		if s := suggest(c.Value, fi.enum); s != "" {
			msg = fmt.Sprintf("%s is not allowed; did you mean %s? (allowed: %s)", Quote(c.Value), Quote(s), strings.Join(fi.enum, ", "))
		}
		d.errorAt(c, p, "%s", msg)
	}
	if n.Kind == yaml.SequenceNode {
		for i, c := range n.Content {
			check(c, fmt.Sprintf("%s[%d]", written, i))
		}
		return
	}
	check(n, written)
}

// decodeEnvironments merges each environment over spec.defaults and the
// spec-level azureOpenAI and roles, then decodes the result.
func (d *decoder) decodeEnvironments(spec, envKey, envNode *yaml.Node, out *WorkloadSpec, logical string, depth int) {
	written := d.writtenOf(envNode, joinKey(logical, "environments"))
	envNode = d.deref(envNode, written)
	if envNode == nil || !d.visit(envNode, written, depth) {
		return
	}
	envLogical := joinKey(logical, "environments")
	d.at[envLogical] = pos{line: envNode.Line, col: envNode.Column, written: written}
	if isNull(envNode) {
		return
	}
	if envNode.Kind != yaml.SequenceNode {
		d.errorAt(envNode, written, "must be a list of environments, not %s", describe(envNode))
		return
	}
	// The fallback chain: spec.defaults, then spec.azureOpenAI and spec.roles.
	var under *yaml.Node
	fallback := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: spec.Line, Column: spec.Column}
	for i := 0; i+1 < len(spec.Content); i += 2 {
		k, val := spec.Content[i], spec.Content[i+1]
		switch k.Value {
		case "defaults":
			under = val
		case "azureOpenAI", "roles":
			fallback.Content = append(fallback.Content, k, val)
		}
	}
	under = d.merge(under, fallback, 0, false)
	out.Environments = make([]Environment, len(envNode.Content))
	for i, item := range envNode.Content {
		p := fmt.Sprintf("%s[%d]", envLogical, i)
		item = d.deref(item, p)
		if item == nil {
			return
		}
		merged := item
		if item.Kind == yaml.MappingNode {
			d.recordBlanks(item, d.writtenOf(item, p), 0)
			merged = d.merge(item, under, 0, false)
			d.written[merged] = p
		}
		d.decode(merged, reflect.ValueOf(&out.Environments[i]).Elem(), p, p, depth+1)
	}
}

// recordBlanks records the null and "" values of an environment mapping as
// written, which the merge would otherwise quietly replace with defaults.
// Free-form maps (config, chart values, where null removes a key) are not
// looked into.
func (d *decoder) recordBlanks(m *yaml.Node, written string, depth int) {
	if depth > MaxDepth {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		kw := d.writtenOf(v, joinKey(written, k.Value))
		switch {
		case v.Kind == yaml.ScalarNode && (isNull(v) || (v.Value == "" && v.ShortTag() == "!!str")):
			d.blank[kw] = pos{line: v.Line, col: v.Column, written: kw}
		case v.Kind == yaml.MappingNode && k.Value != "config" && k.Value != "values":
			d.recordBlanks(v, kw, depth+1)
		}
	}
}

// merge lays over on top of under: mappings merge key by key (recursively),
// anything else in over replaces under; a null or missing value falls back.
// Below chart.values (values is true there) a null in over replaces under,
// as in a Helm values file, where null removes a key.
func (d *decoder) merge(over, under *yaml.Node, depth int, values bool) *yaml.Node {
	over, under = d.deref(over, ""), d.deref(under, "")
	switch {
	case depth > MaxDepth || d.stopped:
		return over
	case values && over != nil:
		if over.Kind != yaml.MappingNode || under == nil || under.Kind != yaml.MappingNode {
			return over
		}
	case over == nil || isNull(over):
		if under == nil {
			return over
		}
		return under
	case under == nil || isNull(under):
		return over
	case over.Kind != yaml.MappingNode || under.Kind != yaml.MappingNode:
		return over
	}
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: over.Line, Column: over.Column}
	have := map[string]bool{}
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		// An issuer is one of fromCluster, url or remoteState, and an Argo
		// CD destination one of server or name: an environment's replaces
		// the default one whole.
		if !have[k.Value] && k.Value != "issuer" && k.Value != "destination" {
			if uv := lookup(under, k.Value); uv != nil {
				// chart.values is the one field named values at an
				// environment's second level.
				if mv := d.merge(v, uv, depth+1, values || (depth == 1 && k.Value == "values")); mv != v {
					if _, ok := d.written[mv]; !ok {
						d.written[mv] = d.writtenOf(v, "")
					}
					v = mv
				}
			}
		}
		have[k.Value] = true
		m.Content = append(m.Content, k, v)
	}
	for i := 0; i+1 < len(under.Content); i += 2 {
		k := under.Content[i]
		if !have[k.Value] {
			have[k.Value] = true
			m.Content = append(m.Content, k, under.Content[i+1])
		}
	}
	return m
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// specLevel names the fields of spec.chart and spec.terraform that an
// environment's chart and terraform cannot set, with why.
var specLevel = map[reflect.Type]map[string]string{
	reflect.TypeOf(EnvironmentChart{}): {
		"version":    "the chart version is spec-level: set spec.chart.version (one chart for every environment: wigen chooses the values it writes by the chart version)",
		"imageTag":   "the image tag is spec-level: set spec.chart.imageTag (one app version for every environment: wigen chooses the app's settings from it)",
		"repository": "the chart repository is spec-level: set spec.chart.repository (one chart for every environment)",
		"name":       "the chart name is spec-level: set spec.chart.name (one chart for every environment)",
	},
	reflect.TypeOf(EnvironmentTerraform{}): {
		"requiredVersion": "the Terraform version constraint is spec-level: set spec.terraform.requiredVersion",
		"providers":       "the provider constraints are spec-level: set spec.terraform.providers (they choose the syntax of every module)",
		"backend":         "the backend is spec-level: set spec.terraform.backend (each environment gets its own state in it)",
	},
}

// misplacedField returns the message for a spec-level field written under
// an environment's chart or terraform, and whether key is one.
func misplacedField(t reflect.Type, key string) (string, bool) {
	msg, ok := specLevel[t][key]
	return msg, ok
}

func findField(fields []fieldInfo, name string) (fieldInfo, bool) {
	for _, f := range fields {
		if f.name == name {
			return f, true
		}
	}
	return fieldInfo{}, false
}

// unknownField returns the message for an unknown key and the field it
// suggests instead, if any.
func unknownField(key string, fields []fieldInfo) (string, string) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	if s := suggest(key, names); s != "" {
		return fmt.Sprintf("unknown field %s; did you mean %s?", Quote(key), Quote(s)), s
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	return fmt.Sprintf("unknown field %s; allowed: %s", Quote(key), strings.Join(sorted, ", ")), ""
}

// generic decodes free-form values (chart.values, backend config) into
// map[string]any, []any, string, bool, int64, float64 or nil, refusing
// duplicate keys and non-string keys.
func (d *decoder) generic(n *yaml.Node, logical, written string, depth int) any {
	if !d.visit(n, written, depth) {
		return nil
	}
	if n.Kind == yaml.AliasNode {
		if n = d.deref(n, written); n == nil {
			return nil
		}
		d.inAlias++
		defer func() { d.inAlias-- }()
	}
	d.at[logical] = pos{line: n.Line, col: n.Column, written: written}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || isNull(k) {
				d.errorAt(k, written, "mapping keys must be strings, not %s", describe(k))
				continue
			}
			if k.Value == "<<" {
				d.errorAt(k, written, "YAML merge keys (<<) are not supported")
				continue
			}
			kw := d.writtenOf(val, joinKey(written, k.Value))
			if _, dup := m[k.Value]; dup {
				d.errorAt(k, kw, "duplicate key")
				continue
			}
			m[k.Value] = d.generic(val, joinKey(logical, k.Value), kw, depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			s[i] = d.generic(c, fmt.Sprintf("%s[%d]", logical, i), d.writtenOf(c, fmt.Sprintf("%s[%d]", written, i)), depth+1)
		}
		return s
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil
		case "!!bool":
			b, err := strconv.ParseBool(strings.ToLower(n.Value))
			if err == nil {
				return b
			}
		case "!!int":
			if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
				return i
			}
			d.errorAt(n, written, "integer %s does not fit in 64 bits; quote it to keep it as a string", n.Value)
			return nil
		case "!!float":
			var f float64
			if err := n.Decode(&f); err == nil {
				return f
			}

		case "!!binary":
			d.errorAt(n, written, "binary values are not supported")
			return nil
		case "!!str":
			// A number too large for 64 bits (1e400) is a plain string to
			// go.yaml.in/yaml/v3, but a number to what reads the rendered
			// values (YAML 1.1 in Helm: infinity, as .inf, which JSON cannot
			// hold; HCL refuses it).
			if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
				if _, err := strconv.ParseFloat(n.Value, 64); errors.Is(err, strconv.ErrRange) {
					d.errorAt(n, written, "%s is a number out of the range of 64-bit numbers (it would be infinite); write a smaller one, or quote it to keep it as text", EscapeText(n.Value))
					return nil
				}
			}
		}
		return n.Value
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "scalar"
}

// describe names a node for an error message: a quoted scalar or its kind.
func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		if isNull(n) {
			return "null"
		}
		return Quote(n.Value)
	}
	return "a " + kindName(n)
}
