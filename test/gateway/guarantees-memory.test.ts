import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { defineGuaranteesSuite } from './guarantees-suite.ts';

defineGuaranteesSuite('memory', async () => ({ store: new MemoryMessageStore(), cleanup: async () => {} })).run();
