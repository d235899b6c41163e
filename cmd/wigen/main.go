// Command wigen renders Terraform root modules, Helm values and Kustomize
// overlays for Open WebUI on AKS with Microsoft Entra Workload ID from one
// wigen.yaml. Run `wigen -h` for the commands; the program is package cli.
package main

import (
	"os"

	"github.com/wigen-dev/wigen/cmd/wigen/internal/cli"
)

func main() {
	cli.TuneGC()
	os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
}
