// The contract suite against the embedded store; a fresh one per fixture, nothing to clean but closing it.
import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { defineStoreContract } from './store-contract.ts';

defineStoreContract('memory', async (options = {}) => {
  const store = new MemoryMessageStore({ finishedTransactionTtlMs: options.finishedTransactionTtlMs });
  return { store, cleanup: () => store.close() };
});
