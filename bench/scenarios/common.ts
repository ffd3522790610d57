// What scenarios share: the standard load, target and topic lifecycles, and their output shape.
import type { CpuShares } from '../machine.ts';
import type { BenchOptions, ScenarioId } from '../options.ts';
import type { BenchTopic, Target, TargetSpec } from '../peers/target.ts';
import type { Table } from '../table.ts';
import type { ThroughputShape } from '../workload.ts';

/**
 * The standard workload: 1 KiB payloads, batches of 100, 8 batches in flight, one subscription
 * with 2 competing consumers holding at most 500 unacked messages each.
 */
export const standardShape: Omit<ThroughputShape, 'messages'> = {
  subscriptions: 1,
  consumersPerSubscription: 2,
  prefetch: 500,
  payloadBytes: 1024,
  batchSize: 100,
  inFlight: 8,
};

export function describeShape(shape: Omit<ThroughputShape, 'messages'>): string {
  return (
    `${shape.payloadBytes >= 1024 ? `${shape.payloadBytes / 1024} KiB` : `${shape.payloadBytes} B`} payloads, publish batches of ` +
    `${shape.batchSize} with ${shape.inFlight} batches in flight, ${shape.subscriptions} subscription(s) x ${shape.consumersPerSubscription} ` +
    `consumers, prefetch ${shape.prefetch} per consumer, acks batched per delivery burst`
  );
}

export interface ScenarioContext {
  readonly options: BenchOptions;
  /** Progress lines (stderr), kept out of the tables. */
  progress(line: string): void;
}

export interface ScenarioOutput<Data> {
  readonly id: ScenarioId;
  readonly tables: readonly Table[];
  /** Everything measured, runs and medians, as written to bench/results. */
  readonly data: Data;
}

/** Starts a target, hands it over, and closes it whatever happens. */
export async function withTarget<T>(spec: TargetSpec, use: (target: Target) => Promise<T>): Promise<T> {
  const target = await spec.start();
  try {
    return await use(target);
  } finally {
    await target.close();
  }
}

/** Creates a fresh topic, hands it over, and deletes it whatever happens. */
export async function withTopic<T>(target: Target, subscriptions: number, use: (topic: BenchTopic) => Promise<T>): Promise<T> {
  const topic = await target.createTopic(subscriptions);
  try {
    return await use(topic);
  } finally {
    await topic.delete();
  }
}

/** Runs `measure` `runs` times, one after the other. */
export async function repeat<T>(runs: number, measure: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < runs; run++) results.push(await measure(run));
  return results;
}

/** "gateway 0.81 + redis-server 0.55" */
export function serverCpu(cpu: CpuShares): string {
  return Object.entries(cpu)
    .filter(([role]) => role !== 'bench' && role !== 'other')
    .map(([role, cores]) => `${role} ${cores.toFixed(2)}`)
    .join(' + ');
}

export function runsNote(context: ScenarioContext): string {
  const { runs } = context.options.sizes;
  return runs === 1 ? 'one run each (--quick)' : `medians of ${runs} runs, systems interleaved run by run`;
}
