#!/usr/bin/env bash
# Lints the GitHub Actions workflows (and local actions) with actionlint.
#
# Uses `actionlint` from PATH when there is one; otherwise builds the pinned version from the Go
# module proxy into .tools/bin (ignored by git) once and reuses it. Arguments are passed through:
# none lints .github/workflows/*.yml from the repository root; file paths lint just those files.
set -euo pipefail

ACTIONLINT_VERSION="v1.7.12"
ACTIONLINT_MODULE="github.com/rhysd/actionlint"
root="$(cd "$(dirname "$0")/.." && pwd)"

if command -v actionlint >/dev/null 2>&1; then
  bin="$(command -v actionlint)"
else
  bin="$root/.tools/bin/actionlint"
  if [ ! -x "$bin" ] || ! "$bin" -version 2>/dev/null | grep -qx "$ACTIONLINT_VERSION"; then
    command -v go >/dev/null 2>&1 || {
      echo "actionlint: not on PATH and no Go toolchain to build it (https://github.com/rhysd/actionlint#install)" >&2
      exit 2
    }
    echo "actionlint: building $ACTIONLINT_VERSION into .tools/bin (once)" >&2
    mkdir -p "$root/.tools/bin"
    # GOTOOLCHAIN=local: build with the Go on this machine, never download another toolchain.
    if ! GOBIN="$root/.tools/bin" GOTOOLCHAIN=local GOFLAGS=-mod=mod \
        go install "$ACTIONLINT_MODULE/cmd/actionlint@$ACTIONLINT_VERSION" >&2; then
      # Some networks reach the module proxy but not the checksum database: skip it for this
      # module only (its dependencies are still verified).
      echo "actionlint: retrying without the checksum database for $ACTIONLINT_MODULE" >&2
      GOBIN="$root/.tools/bin" GOTOOLCHAIN=local GOFLAGS=-mod=mod GONOSUMDB="$ACTIONLINT_MODULE" \
        go install "$ACTIONLINT_MODULE/cmd/actionlint@$ACTIONLINT_VERSION" >&2
    fi
  fi
fi

cd "$root"
exec "$bin" "$@"
