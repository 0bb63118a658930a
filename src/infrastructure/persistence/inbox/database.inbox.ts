import { executionContext } from '../../context/execution-context';
import type { Inbox } from '../../messaging/inbox';
import type { Database } from '../database/database';

/** The `inbox` table: its primary key (consumer, event_id) is what makes a second delivery a no-op. */
export class DatabaseInbox implements Inbox {
  constructor(private readonly database: Database) {}

  handleOnce(consumer: string, eventId: string, work: () => Promise<void>): Promise<boolean> {
    return this.database.transaction(async () => {
      // A concurrent delivery of the same event waits here on the key until this one commits or
      // rolls back, then finds the row (skips) or not (handles it).
      const inserted = await this.database.query(
        `INSERT INTO inbox (tenant_id, consumer, event_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1 AS inserted`,
        [executionContext.tenantId(), consumer, eventId],
      );
      if (inserted.length === 0) return false;
      await work();
      return true;
    });
  }

  /** Forgets records older than `retentionMs`, at most `limit` per call; returns how many. */
  async deleteHandledBefore(retentionMs: number, limit: number): Promise<number> {
    const rows = await this.database.query(
      `DELETE FROM inbox WHERE ctid IN (
         SELECT ctid FROM inbox WHERE handled_at < now() - $1 * interval '1 millisecond' LIMIT $2
       ) RETURNING 1`,
      [retentionMs, limit],
    );
    return rows.length;
  }
}
