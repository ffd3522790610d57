import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { readdirSync } from 'node:fs';

const protoRoot = new URL('./', import.meta.url).pathname;

/** How messages look in JavaScript; the generated types in generated/ts assume exactly these. */
export const loaderOptions = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoRoot] };

export function loadRelayProto(): { definition: PackageDefinition; relay: Record<string, ServiceClientConstructor> } {
  const files = readdirSync(`${protoRoot}relay/v1`).filter((file) => file.endsWith('.proto')).map((file) => `relay/v1/${file}`);
  const definition = loadSync(files, loaderOptions);
  const root = loadPackageDefinition(definition) as GrpcObject;
  const relay = (root.relay as GrpcObject).v1 as unknown as Record<string, ServiceClientConstructor>;
  return { definition, relay };
}
