import type { Logger } from 'pino';
import type { DatabaseInbox } from './inbox/database.inbox';
import type { OutboxStore } from './outbox/outbox-store';

export interface RetentionCleanupOptions {
  readonly interval: number;
  readonly outboxRetention: number;
  readonly inboxRetention: number;
}

// Deleted in slices so one cleanup never holds long locks or a long transaction.
const SLICE = 5_000;

/** Deletes published outbox rows and old inbox records on a timer. Safe to run on every instance. */
export class RetentionCleanup {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly inbox: DatabaseInbox,
    private readonly options: RetentionCleanupOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce()
        .then(() => undefined)
        .finally(() => (this.running = undefined));
    }, this.options.interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass; returns the rows deleted from each table. */
  async runOnce(): Promise<{ outbox: number; inbox: number }> {
    const deleted = { outbox: 0, inbox: 0 };
    try {
      deleted.outbox = await inSlices(() => this.outbox.deletePublished(this.options.outboxRetention, SLICE));
      deleted.inbox = await inSlices(() =>
        this.inbox.deleteHandledBefore(this.options.inboxRetention, SLICE),
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'retention cleanup failed; it runs again at the next interval');
    }
    if (deleted.outbox + deleted.inbox > 0) this.logger.info(deleted, 'retention cleanup');
    return deleted;
  }
}

async function inSlices(deleteSlice: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteSlice();
    total += deleted;
    if (deleted < SLICE) return total;
  }
}
