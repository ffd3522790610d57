#!/usr/bin/env bash
# `npm run build`: the gateway as plain JavaScript in dist/, what `npm start` and the Docker image run.
# Under tsx the gateway would carry a compiler and a loader thread: about 36 MiB more RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
# Built aside and swapped in, so that a gateway starting meanwhile never finds dist/ half written.
out=$(mktemp -d dist.XXXXXX)
trap 'rm -rf "$out"' EXIT
tsc -p tsconfig.build.json --outDir "$out"
# What the gateway reads beside its code, found relative to the modules that read it.
find adapters/redis/scripts proto -name '*.lua' -o -name '*.proto' | while read -r file; do
  install -D -m 644 "$file" "$out/$file"
done
chmod 755 "$out"
rm -rf dist
mv "$out" dist
