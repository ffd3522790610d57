// Imported first by a test file: tracing on in this process before anything imports grpc-js or
// ioredis, as gateway/instrument.ts does for the gateway process. Spans stay in memory.
import { traceInMemory } from './tracing.ts';

export const memoryExporter = traceInMemory();
