#!/usr/bin/env bash
# Provides the Pulumi CLI and prints the folder to put first on PATH.
#
# 1. A `pulumi` already on PATH wins (people with internet install it the official way).
# 2. Otherwise the CLI and the Node.js language host are built from the Go module proxy,
#    at the version of @pulumi/pulumi in package-lock.json (or POLYTOMIC_PULUMI_VERSION), into
#    .pulumi-cli/v<version>/bin.
#    Their go.mod files carry local `replace` lines, so `go install pkg@version` refuses them;
#    a small wrapper module of ours requires both at one release instead.
# 3. The dynamic-provider host ships inside the @pulumi/pulumi npm package; our launcher of it
#    (langhost/pulumi-resource-pulumi-nodejs: one Node.js start, ends with the engine) is
#    linked next to the CLI.
#
# Progress goes to stderr; the only stdout line is the bin folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '[pulumi-cli] %s\n' "$*" >&2; }
go_env() {
  if ! command -v go >/dev/null 2>&1; then
    log "no 'pulumi' on PATH and no Go toolchain to build one."
    log "Install Pulumi (https://www.pulumi.com/docs/install/) or Go >= 1.25, then run this again."
    exit 1
  fi
  # The Go caches stay in their usual per-user places: a clean clone on the same machine
  # (CI) then only relinks instead of rebuilding ~300 modules.
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
  # The checksum database reachable from our machines answers for most modules but not for
  # recent pulumi/pulumi releases (404 on lookup); those are taken from the module proxy as is.
  export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi"
}

# POLYTOMIC_PULUMI_VERSION builds another release beside it (scripts/versionEnds.ts: the newest
# Pulumi CLI for the newest SDK); the dynamic-provider host still comes from node_modules.
version="${POLYTOMIC_PULUMI_VERSION:-$(node -e 'const l=require(process.argv[1]);process.stdout.write(l.packages["node_modules/@pulumi/pulumi"].version)' "$root/package-lock.json")}"
version="${version#v}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { log "POLYTOMIC_PULUMI_VERSION=$version: must be a release such as 3.248.0"; exit 1; }
[ -d "$root/node_modules/@pulumi/pulumi/cmd/dynamic-provider" ] || { log "missing node_modules/@pulumi/pulumi: run 'npm ci' first"; exit 1; }
shim="$root/langhost/pulumi-resource-pulumi-nodejs"
preload="$root/langhost/preload.js"

bin="$root/.pulumi-cli/v$version/bin"

if [ "${POLYTOMIC_PULUMI_BUILD:-}" != "always" ] && existing="$(command -v pulumi 2>/dev/null)" \
   && [ "$(dirname "$(readlink -f "$existing")")" != "$(readlink -f "$bin" 2>/dev/null || true)" ]; then
  log "using $existing ($("$existing" version 2>/dev/null || echo 'unknown version'))"
  # The shim still has to be reachable for dynamic providers.
  mkdir -p "$root/.pulumi-cli/shim"
  ln -sf "$shim" "$root/.pulumi-cli/shim/pulumi-resource-pulumi-nodejs"
  echo "$root/.pulumi-cli/shim"
  exit 0
fi

# Our own Node.js language host (langhost/): the module proxy does not serve the official one.
langhost_hash="$(cat "$root"/langhost/*.go "$root/langhost/go.mod" "$root/langhost/go.sum" | sha256sum | cut -d' ' -f1)"
build_langhost() {
  log "go build pulumi-language-nodejs (langhost/)"
  (cd "$root/langhost" && go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$1/pulumi-language-nodejs" .)
  echo "$langhost_hash" > "$1/.langhost-hash"
}

if [ -x "$bin/pulumi" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "v$version" ]; then
  if [ "$(cat "$bin/.langhost-hash" 2>/dev/null)" != "$langhost_hash" ] || [ ! -x "$bin/pulumi-language-nodejs" ]; then
    go_env
    build_langhost "$bin"
  fi
  ln -sf "$shim" "$bin/pulumi-resource-pulumi-nodejs"
  rm -f "$bin/lazy-closure.js"; ln -sf "$preload" "$bin/preload.js"
  echo "$bin"
  exit 0
fi

go_env
work="$root/.pulumi-cli/build-v$version"
rm -rf "$work"
mkdir -p "$work"
cd "$work"

log "building Pulumi CLI v$version from the Go module proxy (cold: ~10-30 min, warm: ~1 min)"
cat > go.mod <<GOMOD
module local/pulumi-cli-build

go 1.25
GOMOD

go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2

# Copy the non-local replace lines of the upstream go.mod (local ones point into the repo).
gomod="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).GoMod))')"
go mod edit -json "$gomod" | node -e '
  let s=""; process.stdin.on("data",d=>s+=d).on("end",()=>{
    for (const r of JSON.parse(s).Replace ?? []) {
      if (r.New.Path.startsWith(".") || r.New.Path.startsWith("/")) continue;
      const old = r.Old.Version ? `${r.Old.Path}@${r.Old.Version}` : r.Old.Path;
      console.log(`-replace=${old}=${r.New.Path}@${r.New.Version}`);
    }
  })' | while read -r edit; do go mod edit "$edit"; log "go mod edit $edit"; done

cat > tools.go <<'GOSRC'
//go:build tools

package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
GOSRC
go mod tidy >&2

flags=(-trimpath -tags osusergo,grpcnotrace
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version")
mkdir -p "$bin.tmp"
log "go build pulumi"
go build "${flags[@]}" -o "$bin.tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
build_langhost "$bin.tmp"
rm -rf "$bin"
mv "$bin.tmp" "$bin"
ln -sf "$shim" "$bin/pulumi-resource-pulumi-nodejs"
rm -f "$bin/lazy-closure.js"; ln -sf "$preload" "$bin/preload.js"
cd "$root" && rm -rf "$work"
log "built $("$bin/pulumi" version) in $bin"
echo "$bin"
