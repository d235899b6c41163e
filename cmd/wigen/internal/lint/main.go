package lint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"sigs.k8s.io/yaml"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/cli/inputarg"
	"github.com/wigen-dev/wigen/generate/helm"
	"github.com/wigen-dev/wigen/generate/kustomize"
	"github.com/wigen-dev/wigen/generate/output"
	"github.com/wigen-dev/wigen/schema"
)

// Exit codes of Main (the gofmt -l / go mod tidy -diff scheme).
const (
	ExitClean    = 0 // no error findings (warnings allowed)
	ExitFindings = 1 // at least one error finding
	ExitBadInput = 2 // bad usage, invalid wigen.yaml, unreadable or malformed manifests
)

// StdinName names standard input in findings.
const StdinName = "<stdin>"

const usage = `Usage: wigen lint [-f wigen.yaml] [--env NAME] [--format text|json] [FILE|DIR|- ...]

Checks rendered Kubernetes manifests (helm template, kustomize build, or a
folder of manifests) against one environment of wigen.yaml, offline: the
service account of the federated identity credential, its client-id
annotation, the pod label azure.workload.identity/use: "true", the service
account the pods run as, misspelled azure.workload.identity/* keys, and the
other Workload ID rules. Reads standard input when no FILE is given or for
"-"; a DIR stands for its *.json, *.yaml and *.yml files and those of
every folder below it, sorted (as kubectl apply -R reads a folder). YAML
documents and JSON streams (one object after another, or an array) are
read alike.

Prints one line per finding on stdout, FILE:LINE: SEVERITY ID
kind/namespace/name: message; fix, sorted, and a one-line summary on
stderr (stdout stays empty when nothing is found). Objects without
metadata.namespace are taken to be in the environment's namespace. Lint
what Helm or Kustomize renders, not their sources: a Helm values file, a
kustomization, or an overlay's patch or resource (namespace.yaml) is
refused with the command that renders it; so are an Argo CD Application,
a Flux HelmRelease, HelmRepository or OCIRepository and a Flux folder,
with the helm template command that renders what they install from the
values they hold inline. A finding no object in the
input is to blame for (WI001 with neither the service account nor a
workload running as it) has no LINE and names every input.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 bad usage or input.

Example:
  helm template open-webui open-webui --repo https://helm.openwebui.com/ \
    --version <chart version> --namespace <ns> -f deploy/helm/<env>/values.yaml \
    | wigen lint --env <env>
  kustomize build --enable-helm deploy/kustomize/overlays/<env> | wigen lint --env <env>

Flags:
`

// Main runs `wigen lint` with args (after the word "lint"); it reads stdin when no file or "-" is given.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet("wigen lint", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	file := fs.StringP("file", "f", schema.DefaultFile, "the wigen.yaml to check against")
	env := fs.String("env", "", "environment to check against (required when wigen.yaml has more than one)")
	format := fs.String("format", "text", "output format: text or json")
	var help helpValue
	fs.VarPF(&help, "help", "h", "show this help").NoOptDefVal = "true"
	fs.SortFlags = false
	printUsage := func(w io.Writer) {
		fmt.Fprint(w, usage)
		fmt.Fprint(w, fs.FlagUsages())
		fmt.Fprintln(w, "\nFindings:")
		for _, r := range Rules {
			fmt.Fprintf(w, "  %s  %-7s  %s\n", r.ID, r.Severity, r.Summary)
		}
	}
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "wigen: %v\nrun 'wigen lint -h' for usage\n", err)
		return ExitBadInput
	}
	if help {
		printUsage(stdout)
		return ExitClean
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "wigen: --format must be text or json, not %s\n", schema.Quote(*format))
		return ExitBadInput
	}

	if msg, usage := inputarg.Problem("lint", *file); msg != "" {
		fmt.Fprintf(stderr, "wigen: %s\n", msg)
		if usage {
			fmt.Fprintln(stderr, "run 'wigen lint -h' for usage")
		}
		return ExitBadInput
	}

	s, err := schema.Load(*file)
	if err != nil {
		var ds schema.Diagnostics
		if errors.As(err, &ds) {
			// Named as -f names it, as every other command does.
			for _, d := range ds {
				d.File = *file
				fmt.Fprintln(stderr, d.String())
			}
		} else {
			fmt.Fprintf(stderr, "wigen: %v\n", err)
		}
		return ExitBadInput
	}
	e, err := pickEnvironment(s, *file, *env)
	if err != nil {
		fmt.Fprintf(stderr, "wigen: %v\n", err)
		return ExitBadInput
	}

	hints := hintsFor(s, e, *file)
	inputs, err := readInputs(fs.Args(), stdin, stderr, hints)
	if err == nil {
		var r *report
		if r, err = lint(s, e, inputs, hints); err == nil {
			return printReport(r, *format, stdout, stderr)
		}
	}
	var ies InputErrors
	if !errors.As(err, &ies) {
		ies = InputErrors{{Msg: err.Error()}}
	}
	for _, ie := range ies {
		fmt.Fprintf(stderr, "wigen: %s\n", ie.Error())
	}
	return ExitBadInput
}

// printReport prints the findings on stdout (text lines, or a JSON array,
// [] when there is none) and a one-line summary on stderr, and returns the
// exit code.
func printReport(r *report, format string, stdout, stderr io.Writer) int {
	findings := r.findings
	if format == "json" {
		if findings == nil {
			findings = []Finding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(findings); err != nil {
			fmt.Fprintf(stderr, "wigen: %v\n", err)
			return ExitBadInput
		}
	} else {
		for _, f := range findings {
			fmt.Fprintln(stdout, f.String())
		}
	}
	fmt.Fprintf(stderr, "wigen: lint: %s, %s\n", plural(r.objects, "object"), summary(findings))
	if HasErrors(findings) {
		return ExitFindings
	}
	return ExitClean
}

// summary counts findings by severity: "no findings", "2 errors, 1 warning".
func summary(fs []Finding) string {
	errs, warns := 0, 0
	for _, f := range fs {
		if f.Severity == SeverityError {
			errs++
		} else {
			warns++
		}
	}
	var parts []string
	if errs > 0 {
		parts = append(parts, plural(errs, "error"))
	}
	if warns > 0 {
		parts = append(parts, plural(warns, "warning"))
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// hintsFor returns the commands that render s's chart and e's overlay into
// wigen lint, with paths as -f (specFile) names them, quoted for the shell
// where they need it.
func hintsFor(s *schema.Spec, e *schema.Environment, specFile string) Hints {
	h := envHints(s, e, specFile)
	h.envs = map[string]Hints{}
	for i := range s.Spec.Environments {
		if o := &s.Spec.Environments[i]; o.Name != e.Name {
			h.envs[o.Name] = envHints(s, o, specFile)
		}
	}
	return h
}

// envHints are hintsFor's hints of environment e alone.
func envHints(s *schema.Spec, e *schema.Environment, specFile string) Hints {
	ref, repo := helm.ChartRef(s)
	parts := append([]string{"helm template", s.ReleaseName(), ref}, repo...)
	parts = append(parts, "--version "+s.Spec.Chart.Version, "--namespace "+e.Namespace)
	return Hints{
		HelmTemplate: strings.Join(parts, " "),
		Overlay:      filepath.Join(filepath.Dir(specFile), filepath.FromSlash(s.Spec.Output), filepath.FromSlash(kustomize.OverlayDir(e.Name))),
		Lint:         "wigen lint" + inputarg.Flag(specFile) + " --env " + e.Name,
		Spec:         specFile,
		Values:       helm.ExtractedValuesPath(s.ReleaseName(), e.Name),
	}
}

// helpValue is the -h flag: a boolean pflag prints without "[=true|false]".
type helpValue bool

func (h *helpValue) String() string { return strconv.FormatBool(bool(*h)) }
func (h *helpValue) Type() string   { return "bool" }
func (h *helpValue) Set(s string) error {
	v, err := strconv.ParseBool(s)
	*h = helpValue(v)
	return err
}

// pickEnvironment returns the environment named name; with name empty, the
// only environment, or an error listing them that names the input as -f
// (file) does.
func pickEnvironment(s *schema.Spec, file, name string) (*schema.Environment, error) {
	var names []string
	for i := range s.Spec.Environments {
		e := &s.Spec.Environments[i]
		if e.Name == name || (name == "" && len(s.Spec.Environments) == 1) {
			return e, nil
		}
		names = append(names, e.Name)
	}
	if name == "" {
		return nil, fmt.Errorf("%s has %d environments: choose one with --env (%s)", file, len(names), strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("%s has no environment %s (environments: %s)", file, schema.Quote(name), strings.Join(names, ", "))
}

// readInputs reads the positional arguments: "-" is stdin, a folder stands
// for the manifest files in it and in every folder below it (manifestFiles),
// anything else is a file. No argument means stdin.
//
// A folder holding a kustomization, or a file its folder's kustomization
// names as a patch, is not rendered manifests: it is refused with the
// kustomize build command (hints) instead of being linted into false
// findings.
func readInputs(args []string, stdin io.Reader, stderr io.Writer, hints Hints) ([]Input, error) {
	if len(args) == 0 {
		args = []string{"-"}
	}
	var inputs []Input
	usedStdin := false
	for _, a := range args {
		if a == "-" {
			if usedStdin {
				return nil, errors.New(`"-" (standard input) is given twice`)
			}
			usedStdin = true
			if f, ok := stdin.(*os.File); ok {
				// A terminal (or /dev/null): say what is awaited rather
				// than wait in silence.
				if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
					fmt.Fprintln(stderr, "wigen: reading manifests from standard input (pipe `helm template` or `kustomize build` into it, or name files)")
				}
			}
			data, err := readLimited(StdinName, stdin)
			if err != nil {
				return nil, err
			}
			inputs = append(inputs, Input{Name: StdinName, Data: data})
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if msg := notManifestFile(st.Mode()); msg != "" {
			return nil, InputErrors{{File: a, Msg: msg}}
		}
		if !st.IsDir() {
			k, own := kustomizationOf(filepath.Dir(a))
			part := k != "" && own[filepath.Base(a)] != ""
			if part && !st.Mode().IsRegular() {
				return nil, InputErrors{{File: a, Msg: partMsg(a, own, hints)}}
			}
			data, err := readFileLimited(a)
			if err != nil {
				return nil, err
			}
			// A file of a Flux folder is a GitOps object, which decoding
			// refuses with what renders it (gitops.go), not a patch or
			// resource for kustomize build.
			if _, _, gitOps := gitOpsObject(a, data); part && !gitOps {
				return nil, InputErrors{{File: a, Msg: partMsg(a, own, hints)}}
			}
			inputs = append(inputs, Input{Name: a, Data: data})
			continue
		}
		files, err := manifestFiles(a, hints)
		if err != nil {
			return nil, err
		}
		for _, p := range files {
			data, err := readFileLimited(p)
			if err != nil {
				return nil, err
			}
			inputs = append(inputs, Input{Name: p, Data: data})
		}
	}
	return inputs, nil
}

// partMsg refuses file a, which the kustomization of its folder takes in
// (own, from kustomizationOf), with the build that renders it.
func partMsg(a string, own map[string]string, hints Hints) string {
	return fmt.Sprintf("%s, not a rendered manifest; lint what the build prints: kustomize build --enable-helm %s | %s",
		own[filepath.Base(a)], output.ShellQuote(filepath.Dir(a)), hints.Lint)
}

// notManifestFile says why a file of mode m cannot be read as manifests
// ("" when it can): a device (/dev/zero would be read forever) or a
// socket. A regular file, a folder and a FIFO can (a FIFO is what
// wigen lint <(helm template ...) names).
func notManifestFile(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "is a device, not a file of manifests; name a file, or - for standard input"
	case m&fs.ModeSocket != 0:
		return "is a socket, not a file of manifests; name a file, or - for standard input"
	}
	return ""
}

// manifestExts are the file name extensions kubectl reads from a folder
// (k8s.io/cli-runtime resource.FileExtensions).
var manifestExts = []string{".json", ".yaml", ".yml"}

// manifestFiles lists the manifest files of the folder dir, recursively,
// as `kubectl apply -R -f DIR` reads them: every *.json, *.yaml and *.yml
// file in dir and in each folder below it (symbolic links to folders are
// not followed), in path order. A folder that holds a kustomization or a
// Helm chart (Chart.yaml) is a source, not rendered manifests: it is
// refused with the command that renders it. A manifest file that is not a
// regular file (a FIFO) is refused rather than read, which could block.
func manifestFiles(dir string, hints Hints) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() {
			if k, own := kustomizationOf(p); k != "" {
				if msg, ok := gitOpsFolder(hints, p, k, own); ok {
					return InputErrors{{File: p, Msg: msg}}
				}
				return InputErrors{{File: p, Msg: fmt.Sprintf("a Kustomize folder (%s), not rendered manifests; lint what the build prints: kustomize build --enable-helm %s | %s", filepath.Base(k), output.ShellQuote(p), hints.Lint)}}
			}
			if st, err := os.Stat(filepath.Join(p, "Chart.yaml")); err == nil && st.Mode().IsRegular() {
				return InputErrors{{File: p, Msg: fmt.Sprintf("a Helm chart (Chart.yaml), not rendered manifests; lint what the chart renders: helm template RELEASE %s --namespace NAMESPACE | %s", output.ShellQuote(p), hints.Lint)}}
			}
			return nil
		}
		if !slices.Contains(manifestExts, filepath.Ext(p)) {
			return nil
		}
		st, err := os.Stat(p) // follows a link to a file, as kubectl does
		switch {
		case err != nil:
			return err
		case st.IsDir():
			return nil
		case !st.Mode().IsRegular():
			msg := notManifestFile(st.Mode())
			if msg == "" { // a FIFO
				msg = "is a named pipe (FIFO), which a folder is not read through; name it on its own to read it (wigen lint " + output.ShellQuote(p) + ")"
			}
			return InputErrors{{File: p, Msg: msg}}
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no *.json, *.yaml or *.yml files in the folder or below it", schema.Name(dir))
	}
	sort.Strings(files)
	return files, nil
}

// kustomizationOf returns the path of dir's kustomization file ("" when
// there is none) and, by base name, the files in dir itself that it takes
// in: those it applies as patches (patches[].path, patchesStrategicMerge[],
// patchesJson6902[].path), the Helm values files of its helmCharts
// (valuesFile, additionalValuesFiles) and those it lists as resources
// (resources[], the deprecated bases[]). Each maps to what the file is to the build, as
// a lint error names it. Such a file is a source of the build, not what it
// prints: kustomize sets the namespace on its objects and patches them, so
// linting it alone reports what the build fixes (a Namespace alone, say,
// lacks the service account the chart renders).
func kustomizationOf(dir string) (path string, own map[string]string) {
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		p := filepath.Join(dir, name)
		data, err := readFileLimited(p)
		if err != nil {
			continue
		}
		var k struct {
			Resources []string `json:"resources"`
			Bases     []string `json:"bases"`
			Patches   []struct {
				Path string `json:"path"`
			} `json:"patches"`
			PatchesStrategicMerge []string `json:"patchesStrategicMerge"`
			PatchesJSON6902       []struct {
				Path string `json:"path"`
			} `json:"patchesJson6902"`
			HelmCharts []struct {
				ValuesFile            string   `json:"valuesFile"`
				AdditionalValuesFiles []string `json:"additionalValuesFiles"`
			} `json:"helmCharts"`
		}
		_ = yaml.Unmarshal(data, &k) // a malformed kustomization names no file
		own = map[string]string{}
		add := func(rel, what string) {
			if rel != "" && filepath.Dir(filepath.Clean(filepath.FromSlash(rel))) == "." {
				own[filepath.Base(rel)] = fmt.Sprintf(what, p)
			}
		}
		for _, x := range k.Patches {
			add(x.Path, "a patch that %s applies")
		}
		for _, x := range k.PatchesStrategicMerge {
			if !strings.ContainsAny(x, "\n:") { // an inline patch, not a path
				add(x, "a patch that %s applies")
			}
		}
		for _, x := range k.PatchesJSON6902 {
			add(x.Path, "a patch that %s applies")
		}
		for _, x := range k.HelmCharts {
			for _, f := range append([]string{x.ValuesFile}, x.AdditionalValuesFiles...) {
				add(f, "the Helm values file %s inflates its chart with")
			}
		}
		for _, x := range append(k.Resources, k.Bases...) {
			if !strings.Contains(x, "://") { // a remote resource, not a file here
				add(x, "a resource that %s builds on (kustomize sets its namespace and patches it)")
			}
		}
		return p, own
	}
	return "", nil
}
