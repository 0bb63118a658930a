import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { OutboxCounts } from './outbox-store';

/**
 * The outbox's Prometheus metrics. Pending and oldest-age are read from the table at scrape time,
 * so every instance reports the same shared truth; the counters are this instance's work.
 */
export class OutboxMetrics {
  readonly published: Counter;
  readonly publishFailures: Counter;
  readonly dead: Counter;
  readonly publishLag: Histogram;

  constructor(registry: Registry | null, counts: () => Promise<OutboxCounts>) {
    const registers = registry ? [registry] : [];
    let last: OutboxCounts = { pending: 0, dead: 0, oldestPendingAgeSeconds: 0 };
    // One query per scrape feeds both gauges; a failed query keeps the last values.
    let refresh: Promise<void> | undefined;
    const read = (): Promise<void> =>
      (refresh ??= counts()
        .then((value) => void (last = value))
        .catch(() => undefined)
        .finally(() => (refresh = undefined)));

    new Gauge({
      name: 'outbox_pending',
      help: 'Outbox rows waiting to be published',
      registers,
      async collect() {
        await read();
        this.set(last.pending);
      },
    });
    new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox row waiting to be published',
      registers,
      async collect() {
        await read();
        this.set(last.oldestPendingAgeSeconds);
      },
    });
    this.published = new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows published to the bus by this instance',
      registers,
    });
    this.publishFailures = new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Failed attempts to publish an outbox row',
      registers,
    });
    this.dead = new Counter({
      name: 'outbox_dead_total',
      help: 'Outbox rows marked dead after their last attempt',
      registers,
    });
    this.publishLag = new Histogram({
      name: 'outbox_publish_lag_seconds',
      help: 'Time from an event being committed to the outbox until the broker acknowledged it',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
  }
}
