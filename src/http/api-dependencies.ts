import type { Clock } from '../clock.js';
import type { Hub } from '../hub/hub.js';
import type { DomainPolicy } from '../mail/address.js';
import type { MessageReader } from '../mail/reader.js';
import type { Store } from '../store/store.js';

/** What the API routes are built from. */
export interface ApiDependencies {
  store: Store;
  hub: Hub;
  reader: MessageReader;
  clock: Clock;
  domains: DomainPolicy;
  /** Message lifetime, reported to clients. */
  ttlMs: number;
  /** Longest a wait may block. */
  waitMaxMs: number;
}
