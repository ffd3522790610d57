#!/usr/bin/env bash
# Generates every derived file from proto/: TypeScript types for the gateway (proto-loader-gen-types)
# and the Python and Go client stubs (scripts/gen-clients.sh, with Debian's protoc and plugins).
# Never edit the output by hand; test/generated.test.ts fails when it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."

protos=$(cd proto && find relay -name '*.proto' | sort)

rm -rf generated/ts
npx proto-loader-gen-types --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js \
  --includeDirs proto --outDir generated/ts $protos >/dev/null
# The output imports without file extensions: TypeScript accepts that only in CommonJS scope.
echo '{"type":"commonjs"}' >generated/ts/package.json

# The client stubs (Python, Go): also `npm run gen:clients` alone.
bash scripts/gen-clients.sh
