import type { MessageStore } from '../adapters/store.ts';
import type { Logger } from './log.ts';

/**
 * Applies every topic's retention every interval. Each gateway runs it; trimming is idempotent, so
 * several gateways on one store only repeat cheap work. Returns the stop function.
 */
export function runRetention(store: MessageStore, intervalMs: number, log: Logger): () => void {
  let running = false;
  const trimAll = async () => {
    if (running) return;
    running = true;
    try {
      for (let after = ''; ; ) {
        const topics = await store.listTopics({ after, limit: 100 });
        for (const topic of topics) {
          const removed = await store.trim(topic.name);
          if (removed > 0) log.debug({ topic: topic.name, removed }, 'retention trimmed messages');
        }
        if (topics.length < 100) break;
        after = topics[topics.length - 1]!.name;
      }
    } catch (error) {
      log.warn({ err: error }, 'retention pass failed; retrying next interval');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void trimAll(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
