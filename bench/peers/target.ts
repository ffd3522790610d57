// What every system under test offers the benchmark: one shape for Relay and its peers, so each
// scenario is written once. Semantics are the same everywhere: a publish resolves once the system
// confirmed every message durably stored (as far as its durability setting goes); consumers of one
// subscription compete, hold at most `prefetch` unacked messages and ack explicitly (at least once).
import type { ProcessRef } from '../machine.ts';

/** One message to publish: its payload and its idempotency key (used where the system dedups). */
export interface PublishItem {
  readonly data: Buffer;
  readonly key: string;
}

export interface ConsumerHandler {
  /** Called for every delivery, before it is acked. */
  onMessage(data: Uint8Array): void;
  /** Called when acks for `count` deliveries have been sent. */
  onAcked(count: number): void;
  /** The consumer failed; the run is lost. */
  onError(error: Error): void;
}

export interface Consumer {
  /** Sends what is left to ack, stops receiving and lets go of the connection's resources. */
  close(): Promise<void>;
}

/** A fresh topic (stream, queue) with its subscriptions, created for one measurement. */
export interface BenchTopic {
  readonly name: string;
  /** Resolves once the system confirmed every message of the batch. */
  publish(items: readonly PublishItem[]): Promise<void>;
  /** A competing consumer of subscription `subscription` (0-based). */
  consume(subscription: number, prefetch: number, handler: ConsumerHandler): Promise<Consumer>;
  /** Removes everything created for the topic. */
  delete(): Promise<void>;
}

export interface Target {
  /** As printed in the tables, e.g. 'Relay (everysec)'. */
  readonly name: string;
  /** The processes besides the benchmark that do the work (for the CPU table). */
  readonly processes: readonly ProcessRef[];
  /** Creates a uniquely named topic with `subscriptions` independent subscriptions (fan-out). */
  createTopic(subscriptions: number): Promise<BenchTopic>;
  close(): Promise<void>;
}

/** How a target is made: each measurement run starts its own. */
export interface TargetSpec {
  readonly name: string;
  /** Semantics and setup in one line, for the notes under the tables. */
  readonly description: string;
  start(): Promise<Target>;
}

/** Collects items and hands them over in batches: at most `max` at once, else on the next turn of the event loop. */
export class Batcher<T> {
  private items: T[] = [];
  private scheduled = false;

  constructor(
    private readonly send: (items: T[]) => void,
    private readonly max: number,
  ) {}

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.max) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.send(items);
  };
}

/** A short unique suffix for names of one run: queues and streams on shared brokers must never collide. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
