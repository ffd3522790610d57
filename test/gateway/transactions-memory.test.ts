import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { defineTransactionsSuite } from './transactions-suite.ts';

defineTransactionsSuite('memory', async () => ({ store: new MemoryMessageStore(), cleanup: async () => {} })).run();
