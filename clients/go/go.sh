#!/usr/bin/env bash
# The go command for clients/go, offline, on Debian's Go packages (golang-google-grpc-dev and
# golang-google-protobuf-dev install their sources under /usr/share/gocode): GOPATH mode, with this
# directory linked into a private GOPATH as the import path relay/clients/go. Paths on the command
# line are relative to clients/go, wherever it is called from:
#   clients/go/go.sh run ./examples/publish-subscribe --addr 127.0.0.1:50051
#   clients/go/go.sh build -o /tmp/relay-interop ./cmd/interop
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
# One private GOPATH per checkout: the checkout's path, hashed, names it.
gopath=${TMPDIR:-/tmp}/relay-gopath-$(id -u)-$(printf %s "$here" | cksum | cut -d' ' -f1)
link=$gopath/src/relay/clients/go
if [[ $(readlink "$link" 2>/dev/null) != "$here" ]]; then
  mkdir -p "$(dirname "$link")"
  # A rename, atomic: two builds starting at once both see a whole link.
  ln -sfn "$here" "$link.$$"
  mv -Tf "$link.$$" "$link"
fi
# go resolves ./... against the working directory, which must lie inside the GOPATH: enter this
# directory through the link (cd keeps the logical path, and go takes it from $PWD).
cd "$link"
export GO111MODULE=off GOPATH="$gopath:/usr/share/gocode"
exec go "$@"
