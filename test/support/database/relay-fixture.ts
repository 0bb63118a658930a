import pino from 'pino';
import {
  getDefaultOutboxConfig,
  type OutboxConfig,
} from '../../../src/infrastructure/config/persistence.config';
import type { EventBus } from '../../../src/infrastructure/eventbus';
import type { Database } from '../../../src/infrastructure/persistence/database/database';
import { OutboxMetrics } from '../../../src/infrastructure/persistence/outbox/outbox-metrics';
import { OutboxRelay } from '../../../src/infrastructure/persistence/outbox/outbox-relay';
import { OutboxStore } from '../../../src/infrastructure/persistence/outbox/outbox-store';

/** Fast settings so relay tests see retries and lease expiry in milliseconds, not minutes. */
export const FAST_OUTBOX: OutboxConfig = {
  ...getDefaultOutboxConfig(),
  batchSize: 16,
  pollInterval: 100,
  leaseDuration: 2_000,
  publishTimeout: 1_000,
  maxAttempts: 5,
  initialBackoff: 20,
  maxBackoff: 200,
};

/** A relay over `database` and `bus`, with metrics of its own that the test can read. */
export function createTestRelay(
  database: Database,
  bus: EventBus,
  relayId: string,
  overrides: Partial<OutboxConfig> = {},
): { relay: OutboxRelay; metrics: OutboxMetrics; store: OutboxStore } {
  const store = new OutboxStore(database);
  const metrics = new OutboxMetrics(null, () => store.counts());
  const relay = new OutboxRelay(
    database,
    store,
    bus,
    { ...FAST_OUTBOX, ...overrides, relayId },
    metrics,
    pino({ level: 'silent' }),
  );
  return { relay, metrics, store };
}

export async function counterValue(counter: {
  get(): Promise<{ values: { value: number }[] }>;
}): Promise<number> {
  return (await counter.get()).values.reduce((sum, entry) => sum + entry.value, 0);
}
