// Every command, loaded only when used: `relay serve` must import the gateway before anything loads
// @grpc/grpc-js (its tracing instrumentation patches the module as it loads).
import type { Command } from './command.ts';

type Loader = () => Promise<Command>;

export const commands: Readonly<Record<string, Loader>> = {
  serve: async () => (await import('./commands/serve.ts')).serve,
  pub: async () => (await import('./commands/pub.ts')).pub,
  sub: async () => (await import('./commands/sub.ts')).sub,
  'topics create': async () => (await import('./commands/topics.ts')).create,
  'topics list': async () => (await import('./commands/topics.ts')).list,
  'topics get': async () => (await import('./commands/topics.ts')).get,
  'topics delete': async () => (await import('./commands/topics.ts')).remove,
  'subs create': async () => (await import('./commands/subs.ts')).create,
  'subs list': async () => (await import('./commands/subs.ts')).list,
  'subs get': async () => (await import('./commands/subs.ts')).get,
  'subs delete': async () => (await import('./commands/subs.ts')).remove,
  seek: async () => (await import('./commands/seek.ts')).seek,
  stats: async () => (await import('./commands/stats.ts')).stats,
  inspect: async () => (await import('./commands/inspect.ts')).inspect,
  'dlq redrive': async () => (await import('./commands/dlq.ts')).redrive,
  'txn prepare': async () => (await import('./commands/txn.ts')).prepare,
  'txn commit': async () => (await import('./commands/txn.ts')).commit,
  'txn abort': async () => (await import('./commands/txn.ts')).abort,
  health: async () => (await import('./commands/health.ts')).health,
  bench: async () => (await import('./commands/bench.ts')).bench,
};

/** What the command groups are for, in `relay --help`. */
export const groups: Readonly<Record<string, string>> = {
  topics: 'Creates, lists, shows and deletes topics.',
  subs: 'Creates, lists, shows and deletes subscriptions.',
  dlq: 'Moves dead letters back to their source topics.',
  txn: 'Prepares, commits and aborts transactions (atomic publish across topics).',
};

/** Other names people type (gcloud and nats habits). */
export const aliases: Readonly<Record<string, string>> = {
  topic: 'topics',
  subscriptions: 'subs',
  subscription: 'subs',
  publish: 'pub',
  subscribe: 'sub',
  transaction: 'txn',
  transactions: 'txn',
};
