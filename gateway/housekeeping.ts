import type { MessageStore } from '../adapters/store.ts';
import type { Logger } from './log.ts';

/**
 * Runs a store chore every interval, one pass at a time; a failed pass is logged and retried at the
 * next interval. Every gateway runs the same chores: they are idempotent, so several gateways on one
 * store only repeat cheap work. Returns the stop function.
 */
function every(intervalMs: number, log: Logger, chore: string, pass: () => Promise<void>): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await pass();
    } catch (error) {
      log.warn({ err: error, chore }, 'housekeeping pass failed; retrying next interval');
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Applies every topic's retention, and aborts expired transactions. Returns the stop function. */
export function runHousekeeping(store: MessageStore, trimIntervalMs: number, transactionIntervalMs: number, log: Logger): () => void {
  const stops = [
    every(trimIntervalMs, log, 'retention', async () => {
      for (let after = ''; ; ) {
        const topics = await store.listTopics({ after, limit: 100 });
        for (const topic of topics) {
          const removed = await store.trim(topic.name);
          if (removed > 0) log.debug({ topic: topic.name, removed }, 'retention trimmed messages');
        }
        if (topics.length < 100) return;
        after = topics[topics.length - 1]!.name;
      }
    }),
    every(transactionIntervalMs, log, 'transaction expiry', async () => {
      const expired = await store.expireTransactions();
      if (expired > 0) log.debug({ expired }, 'aborted expired transactions');
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
