package schema

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzLoad: no input makes Load panic or hang, and every failure is a
// Diagnostics whose every entry names the file and, unless the file as a
// whole is at fault, a line.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(validDoc))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("spec: {environments: [{name: x, <<: {a: 1}}]}\n"))
	f.Add([]byte("apiVersion: wigen/v1alpha1\nkind: WorkloadIdentity\nmetadata: {name: x}\nspec:\n  defaults: &d {namespace: x}\n  environments: [*d, *d]\n"))
	inputs, _ := filepath.Glob("../golden/*/wigen.yaml")
	errs, _ := filepath.Glob("../golden/errors/*/wigen.yaml")
	for _, p := range append(inputs, errs...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s *Spec
		var err error
		done := make(chan struct{})
		go func() { s, err = LoadBytes("wigen.yaml", data); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Load takes more than 5 s on %q", data)
		}
		if err == nil {
			if s == nil {
				t.Fatal("nil spec without error")
			}
			for _, w := range s.Warnings {
				if w.Severity != Warning || w.Line == 0 {
					t.Fatalf("bad warning %+v", w)
				}
			}
			return
		}
		var ds Diagnostics
		if !errors.As(err, &ds) {
			t.Fatalf("error is a %T, not Diagnostics: %v", err, err)
		}
		if !ds.HasErrors() {
			t.Fatalf("error without an Error diagnostic: %v", ds)
		}
		for _, d := range ds {
			if d.File != "wigen.yaml" || d.Message == "" {
				t.Fatalf("diagnostic without file or message: %+v", d)
			}
			if d.Line == 0 && !wholeFile(d.Message) {
				t.Fatalf("diagnostic without a position: %+v", d)
			}
		}
	})
}

// wholeFile reports whether a message is about the file as a whole, the
// only kind allowed without a line.
func wholeFile(msg string) bool {
	for _, p := range []string{"the file is", "invalid YAML: "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
