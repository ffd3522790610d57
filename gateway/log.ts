import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'relay' }, formatters: { level: (label) => ({ level: label }) } });
}

/**
 * A named debug tracer (RELAY_TRACE=store,stream): when off it is a no-op whose arguments are
 * cheap closures, so the hot path pays one call.
 */
export type Tracer = (describe: () => Record<string, unknown>, message: string) => void;

export function tracer(log: Logger, enabled: readonly string[], name: string): Tracer {
  if (!enabled.includes(name)) return () => {};
  const child = log.child({ tracer: name });
  return (describe, message) => child.info(describe(), message);
}
