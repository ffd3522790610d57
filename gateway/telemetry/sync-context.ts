// The active OpenTelemetry context, followed through synchronous calls only. Node 20's
// AsyncLocalStorage (what OpenTelemetry uses by default) enables promise hooks for the whole process:
// measured on the standard benchmark load, it alone cost about a quarter of the gateway's throughput.
// Relay's own spans take their parents explicitly; the spans of the instrumentations that matter
// start synchronously inside their parent's scope (the gRPC server span around the handler's first
// step, a Redis write inside the publish span, sent as it is called). A span started after an await
// in a handler is a root span.
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

export class SyncContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const manager = this;
    const bound = function (this: unknown, ...args: unknown[]) {
      return manager.with(context, () => (target as (...args: unknown[]) => unknown).apply(this, args));
    };
    return bound as T;
  }

  enable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
