import { createMemoryStore } from '../../src/store/memory/memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('memory', async (settings) => ({
  store: createMemoryStore({ ...settings, onListenerError: () => {} }),
}));
