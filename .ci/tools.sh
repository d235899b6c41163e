# Tools the real-chart tests run, installed for CI. Sourced by .ci/run;
# `bash .ci/tools.sh` installs them alone (prints the exports it sets).
#
# Helm 3 and Helm 4 are built with `go install` from the Go module proxy
# (no prebuilt binary is downloaded) into a cache outside the clone,
# $WIGEN_CI_TOOLS (default ${XDG_CACHE_HOME:-~/.cache}/wigen-ci), one
# folder per version; a folder already there is reused, so only the first
# run on a machine pays for the build. The tests find the binaries through
# WIGEN_HELM3 and WIGEN_HELM4 (absolute paths), never on PATH.
#
# kubectl (for `kubectl kustomize`, kustomize 5.5 in kubectl 1.32) and
# terraform are part of the machine; the tests fail under WIGEN_CI=1 when
# one is missing.

WIGEN_HELM3_VERSION=v3.22.0
WIGEN_HELM4_VERSION=v4.3.1

# install_helm MAJOR VERSION VAR: installs helm VERSION (module
# helm.sh/helm/vMAJOR) unless its folder in the cache holds it already,
# checks what it reports, and sets VAR to the binary's absolute path.
install_helm() {
	local major=$1 version=$2 var=$3
	local tools="${WIGEN_CI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/wigen-ci}"
	local dir="$tools/helm-$version"
	if [ ! -x "$dir/helm" ]; then
		local start=$SECONDS tmp
		mkdir -p "$tools" || return 1
		tmp=$(mktemp -d "$tools/.helm-$version.XXXXXX") || return 1
		# A half-built folder never takes the cache's name: build aside, then
		# rename. The version is stamped as helm's own Makefile does (without
		# it, helm reports only its minor version, "v3.22").
		if ! GOBIN="$tmp" go install -ldflags "-X helm.sh/helm/v$major/internal/version.version=$version" \
			"helm.sh/helm/v$major/cmd/helm@$version"; then
			rm -rf "$tmp"
			echo ".ci/tools.sh: go install helm.sh/helm/v$major/cmd/helm@$version failed" >&2
			return 1
		fi
		rm -rf "$dir" && mv "$tmp" "$dir" || return 1
		echo ".ci/tools.sh: built helm $version into $dir in $((SECONDS - start))s" >&2
	else
		echo ".ci/tools.sh: reusing helm $version from $dir" >&2
	fi
	local reported
	reported=$("$dir/helm" version --template '{{.Version}}') || return 1
	if [ "$reported" != "$version" ]; then
		echo ".ci/tools.sh: $dir/helm reports version $reported, not $version" >&2
		return 1
	fi
	printf -v "$var" '%s' "$dir/helm"
	export "${var?}"
}

# install_tools installs both Helm majors and exports WIGEN_HELM3 and WIGEN_HELM4.
install_tools() {
	install_helm 3 "$WIGEN_HELM3_VERSION" WIGEN_HELM3 &&
		install_helm 4 "$WIGEN_HELM4_VERSION" WIGEN_HELM4
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	install_tools
	echo "export WIGEN_HELM3=$WIGEN_HELM3"
	echo "export WIGEN_HELM4=$WIGEN_HELM4"
fi
