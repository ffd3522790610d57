// Tracing set-up, first of all: gateway/main.ts imports this before anything else, and it works as
// `node --import` too (`node --import tsx --import ./gateway/instrument.ts gateway/main.ts`).
// Configured by the standard OTEL_* variables only; see gateway/telemetry/sdk.ts.
import { startTracing, TelemetryConfigError } from './telemetry/sdk.ts';

try {
  startTracing();
} catch (error) {
  if (!(error instanceof TelemetryConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
