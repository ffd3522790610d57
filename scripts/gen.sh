#!/usr/bin/env bash
# Generates every derived file from proto/: TypeScript types for the gateway (proto-loader-gen-types)
# and the Python stubs (Debian's protoc + grpc_python_plugin). Never edit the output by hand;
# test/generated.test.ts fails when it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf generated/ts
npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js \
  --includeDirs proto --outDir generated/ts $(cd proto && find relay -name '*.proto' | sort) >/dev/null
