# wigen: build, test and golden cases. `make test` is everything CI runs
# (.ci/run calls it). Needs only Go and the usual POSIX tools.

GO      ?= go
BIN     := bin/wigen
ABS_BIN := $(CURDIR)/$(BIN)
# Golden cases: golden/<case>/wigen.yaml (rendered) and
# golden/errors/<case>/wigen.yaml (invalid, with diagnostics.txt).
CASES       := $(sort $(wildcard golden/*/wigen.yaml))
ERROR_CASES := $(sort $(wildcard golden/errors/*/wigen.yaml))
DEMO        := golden/open-webui-aks
DEMO_DIR    := .work/demo

.PHONY: all build test lint fmt-check vet golden-update golden-check demo bench fuzz clean

all: build

## build: the wigen binary, into bin/wigen; -buildvcs=auto records the commit
## and dirty flag that `wigen version` prints, even where GOFLAGS turns it off
build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/wigen

## test: everything CI runs: gofmt, go vet, go test ./..., golden-check
test: lint
	$(GO) test ./...
	$(MAKE) --no-print-directory golden-check

## lint: gofmt (no file needs formatting) and go vet
lint: fmt-check vet

fmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## golden-update: regenerate every golden output tree and diagnostics.txt with the real CLI
## (--allow-replace: a golden case is an example, never deployed; golden-update
## and golden-check render with --no-cache: in full, and without reading or
## writing the user's render cache)
golden-update: build
	@set -e; for f in $(CASES); do echo "== $$f"; $(BIN) render --no-cache --allow-replace -f $$f; done
	@set -e; for f in $(ERROR_CASES); do \
		d=$$(dirname $$f); echo "== $$f"; \
		status=0; (cd $$d && $(ABS_BIN) validate >/dev/null 2>diagnostics.txt) || status=$$?; \
		if [ $$status -ne 2 ]; then echo "$$f: wigen validate exited $$status, want 2 (an error case must be invalid)"; exit 1; fi; \
	done
	@echo "golden cases regenerated: review them with git diff -- golden/"

## golden-check: wigen render --check on every golden case; wigen validate on every error case
golden-check: build
	@fail=0; \
	for f in $(CASES); do $(BIN) render --no-cache --check -f $$f || fail=1; done; \
	for f in $(ERROR_CASES); do \
		d=$$(dirname $$f); \
		(cd $$d && $(ABS_BIN) validate 2>&1 >/dev/null) | diff -u $$d/diagnostics.txt - || { echo "$$d: diagnostics differ (make golden-update)"; fail=1; }; \
	done; \
	exit $$fail

## demo: render the tutorial's setup (golden/open-webui-aks) into .work/demo, show it, render again
demo: build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR) && cp $(DEMO)/wigen.yaml $(DEMO_DIR)/wigen.yaml
	@echo "$$ wigen render -f $(DEMO_DIR)/wigen.yaml"
	@$(BIN) render -f $(DEMO_DIR)/wigen.yaml
	@echo
	@echo "$$ cat $(DEMO_DIR)/deploy/helm/prod/values.yaml"
	@cat $(DEMO_DIR)/deploy/helm/prod/values.yaml
	@echo
	@echo "$$ wigen render -f $(DEMO_DIR)/wigen.yaml   # a second run changes nothing"
	@$(BIN) render --exit-code -f $(DEMO_DIR)/wigen.yaml
	@diff -r $(DEMO)/deploy $(DEMO_DIR)/deploy && echo "identical to the committed $(DEMO)/deploy"

## bench: the render and check benchmarks
bench:
	$(GO) test ./cmd/wigen/... -run '^$$' -bench . -benchmem

## fuzz: fuzz wigen.yaml loading and wigen lint's manifest reader, 30 seconds each
fuzz:
	$(GO) test ./schema -run '^$$' -fuzz FuzzLoad -fuzztime 30s
	$(GO) test ./cmd/wigen/internal/lint -run '^$$' -fuzz FuzzReader -fuzztime 30s

clean:
	rm -rf bin .work
