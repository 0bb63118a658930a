import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { OutboxConfig } from '../../config/persistence.config';
import type { EventBus } from '../../eventbus';
import type { Database, NotificationListener } from '../database/database';
import type { OutboxMetrics } from './outbox-metrics';
import type { ClaimedOutboxRow, FailedOutboxRow, OutboxStore } from './outbox-store';
import { Wakeup } from './wakeup';

/** The NOTIFY channel of the outbox table's insert trigger (migration 0003). */
export const OUTBOX_CHANNEL = 'outbox';

export interface OutboxRelayOptions extends OutboxConfig {
  /** Names this relay's leases; unique per running instance. */
  readonly relayId: string;
}

/**
 * Publishes committed outbox rows to the bus, as many relays side by side as there are instances.
 *
 * Each round claims a batch (one row per aggregate, see OutboxStore.claim), publishes it with the
 * event id as message id and the aggregate (qualified by its tenant) as key, and marks what the
 * broker accepted. It wakes on NOTIFY from the outbox trigger and polls every `pollInterval` in case
 * a notification was lost.
 * A failed row is retried with jittered exponential backoff and dies after `maxAttempts` (a round
 * that failed because the bus is down spends no attempt); a relay that crashes leaves leases that
 * expire after `leaseDuration`, and another relay takes its rows.
 */
export class OutboxRelay {
  /** Ends the idle wait: new rows were committed, or the relay is stopping. */
  private readonly wakeup = new Wakeup();
  /** Ends only a pause after a failure: commits must not cut it short while nothing gets out. */
  private readonly stopping = new Wakeup();
  private loops: Promise<void>[] = [];
  private listener: NotificationListener | undefined;
  private running = false;
  private failedRounds = 0;

  constructor(
    private readonly database: Database,
    private readonly store: OutboxStore,
    private readonly bus: EventBus,
    private readonly options: OutboxRelayOptions,
    private readonly metrics: OutboxMetrics,
    private readonly logger: Logger,
  ) {}

  /** Idempotent. Without a working LISTEN the relay still runs, on polling alone. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.listener = await this.database.listen(OUTBOX_CHANNEL, () => this.wakeup.wake());
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox relay cannot LISTEN; relying on polling');
    }
    this.loops = Array.from({ length: this.options.concurrency }, () => this.run());
  }

  /** Stops claiming, lets the batch in flight finish and be recorded, then returns unused leases. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeup.wake();
    this.stopping.wake();
    await Promise.all(this.loops);
    await this.listener?.close();
    await this.store
      .releaseLeases(this.options.relayId)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'outbox relay could not release its leases'),
      );
  }

  private async run(): Promise<void> {
    while (this.running) {
      let rows: ClaimedOutboxRow[];
      try {
        rows = await this.store.claim(
          this.options.relayId,
          this.options.batchSize,
          this.options.leaseDuration,
        );
      } catch (error) {
        this.failedRounds++;
        this.logger.warn({ err: error }, 'outbox relay cannot claim rows');
        await this.stopping.wait(this.pauseAfterFailure());
        continue;
      }
      if (rows.length === 0) {
        await this.wakeup.wait(this.options.pollInterval);
        continue;
      }
      const anyPublished = await this.publish(rows);
      this.failedRounds = anyPublished ? 0 : this.failedRounds + 1;
      // A broker that accepts nothing gets a pause, not a claim of the next rows straight away.
      if (!anyPublished) await this.stopping.wait(this.pauseAfterFailure());
    }
  }

  /** Publishes a claimed batch (its rows have distinct aggregates, so they may go out together). */
  private async publish(rows: readonly ClaimedOutboxRow[]): Promise<boolean> {
    // One deadline for the batch: its rows go out together, and one timer beats one per row.
    const signal = AbortSignal.timeout(this.options.publishTimeout);
    // Every publish of the batch listens to it; that is expected, not a leak to warn about.
    setMaxListeners(rows.length + 1, signal);
    const results = await Promise.allSettled(
      rows.map((row) =>
        this.bus.publish(row.topic, row.payload, {
          key: row.key,
          messageId: row.eventId,
          headers: row.headers,
          signal,
        }),
      ),
    );
    const published: string[] = [];
    const failed: FailedOutboxRow[] = [];
    results.forEach((result, index) => {
      const row = rows[index]!;
      if (result.status === 'fulfilled') published.push(row.id);
      else failed.push({ id: row.id, error: describe(result.reason), retryInMs: this.backoff(row.attempts) });
    });
    if (published.length === 0 && (await this.busIsDown())) await this.giveBack(failed);
    else await this.record(published, failed);
    return published.length > 0;
  }

  /**
   * Whether the bus itself is unavailable (the broker down or unreachable), as opposed to refusing
   * these rows. Attempts are for rows the broker will not take: an outage, however long, must not
   * use them up and kill the rows.
   */
  private async busIsDown(): Promise<boolean> {
    try {
      await this.bus.healthCheck({ timeout: this.options.publishTimeout });
      return false;
    } catch {
      return true;
    }
  }

  /** Returns rows that failed because the bus is down, without spending an attempt on them. */
  private async giveBack(failed: FailedOutboxRow[]): Promise<void> {
    this.metrics.publishFailures.inc(failed.length);
    this.logger.warn(
      { rows: failed.length, error: failed[0]!.error },
      'outbox relay could not publish: the bus is unavailable; rows wait without spending attempts',
    );
    try {
      await this.store.giveBack(this.options.relayId, failed, this.pauseAfterFailure());
    } catch (error) {
      this.logger.error({ err: error }, 'outbox relay could not give back its rows');
    }
  }

  private async record(published: string[], failed: FailedOutboxRow[]): Promise<void> {
    const { relayId, maxAttempts } = this.options;
    try {
      const lags = await this.store.markPublished(relayId, published);
      this.metrics.published.inc(lags.length);
      for (const lag of lags) this.metrics.publishLag.observe(lag);
    } catch (error) {
      // The rows stay leased; once the lease expires they are published again (a duplicate, not a loss).
      this.logger.error({ err: error, rows: published.length }, 'outbox relay could not mark rows published');
    }
    if (failed.length === 0) return;
    this.metrics.publishFailures.inc(failed.length);
    this.logger.warn(
      { rows: failed.length, error: failed[0]!.error },
      'outbox relay could not publish; will retry with backoff',
    );
    try {
      const dead = await this.store.markFailed(relayId, failed, maxAttempts);
      if (dead.length > 0) {
        this.metrics.dead.inc(dead.length);
        this.logger.error(
          { ids: dead, error: failed[0]!.error, maxAttempts },
          'outbox rows are dead: their aggregates wait until they are requeued',
        );
      }
    } catch (error) {
      this.logger.error({ err: error }, 'outbox relay could not record failed rows');
    }
  }

  /** Exponential in the attempt number, capped, with jitter so relays do not retry in lockstep. */
  private backoff(attempt: number): number {
    const { initialBackoff, maxBackoff } = this.options;
    const base = Math.min(maxBackoff, initialBackoff * 2 ** Math.min(attempt - 1, 30));
    return base / 2 + (Math.random() * base) / 2;
  }

  /** Bounded by a few poll intervals, so a relay is back soon after the broker or database is. */
  private pauseAfterFailure(): number {
    return Math.min(this.backoff(this.failedRounds + 1), this.options.pollInterval * 5);
  }
}

function describe(reason: unknown): string {
  return reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
}
