import { MemoryMessageStore } from '../../adapters/memory/memory-store.ts';
import { defineGatewaySuite } from './gateway-suite.ts';

defineGatewaySuite('memory', async () => ({ store: new MemoryMessageStore(), cleanup: async () => {} })).run();
