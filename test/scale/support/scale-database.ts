import { Client } from 'pg';
import { createScratchDatabase, type ScratchPostgresDatabase } from '../../support/database/postgres-server';
import { waitFor } from '../../support/wait-for';

export const WELCOME_GROUP = 'notifications.send-welcome-notification-on-user-registered';

/** An event whose welcome notification was recorded: when it committed and when it was handled. */
export interface HandledEvent {
  readonly eventId: string;
  readonly committedAt: number;
  readonly handledAt: number;
}

/**
 * The database the instances share, created for the run and dropped after it, with the queries the
 * scale tests assert on. Everything is read from the tables, never from an instance.
 */
export class ScaleDatabase {
  private constructor(
    private readonly scratch: ScratchPostgresDatabase,
    private readonly client: Client,
  ) {}

  static async create(serverUrl: string): Promise<ScaleDatabase> {
    const scratch = await createScratchDatabase(serverUrl, 'scale');
    const client = new Client({ connectionString: scratch.url });
    await client.connect();
    return new ScaleDatabase(scratch, client);
  }

  get url(): string {
    return this.scratch.url;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.client.query<{ count: string }>(sql, params);
    return Number(result.rows[0]!.count);
  }

  async rows<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(sql, params)).rows;
  }

  /** How many of `userIds` have a welcome notification. */
  welcomed(userIds: readonly string[]): Promise<number> {
    return this.count(
      `SELECT count(DISTINCT user_id) AS count FROM notifications WHERE kind = 'welcome' AND user_id = ANY($1)`,
      [userIds],
    );
  }

  /**
   * Waits until every one of `userIds` has its welcome notification; resolves with the wall time
   * from `since` (performance clock) at which the poll saw it. Rejects after `timeout` ms.
   */
  async allWelcomed(userIds: readonly string[], since: number, timeout: number): Promise<number> {
    let seen = 0;
    await waitFor(async () => (seen = await this.welcomed(userIds)) === userIds.length, {
      timeout,
      interval: 50,
      message: () => `${userIds.length - seen} of ${userIds.length} users without a welcome notification`,
    });
    return performance.now() - since;
  }

  /**
   * Exactly once in effect, over every user in the database (also those whose request was cut
   * before the client got the answer): users without exactly one welcome notification.
   */
  usersWithoutExactlyOneWelcome(): Promise<number> {
    return this.count(
      `SELECT count(*) AS count FROM users u
         WHERE (SELECT count(*) FROM notifications n
                  WHERE n.user_id = u.id::text AND n.kind = 'welcome') <> 1`,
    );
  }

  deadOutboxRows(): Promise<number> {
    return this.count(`SELECT count(*) AS count FROM outbox WHERE status = 'dead'`);
  }

  unpublishedOutboxRows(): Promise<number> {
    return this.count(`SELECT count(*) AS count FROM outbox WHERE status <> 'published'`);
  }

  /**
   * The ids of the rows leased by the relay of the process `pid` (relay ids are
   * `<host>-<pid>-<random>`): a killed relay's rows wait for their lease to run out before another
   * relay claims them.
   */
  async leasedByProcess(pid: number): Promise<string[]> {
    const rows = await this.rows<{ id: string }>(
      `SELECT id::text AS id FROM outbox WHERE status = 'pending' AND leased_by LIKE $1`,
      [`%-${pid}-%`],
    );
    return rows.map((row) => row.id);
  }

  /** When the rows `ids` were published (epoch ms), for those that were. */
  async publishedAt(ids: readonly string[]): Promise<number[]> {
    const rows = await this.rows<{ published_at: Date }>(
      `SELECT published_at FROM outbox WHERE id = ANY($1::bigint[]) AND published_at IS NOT NULL`,
      [ids],
    );
    return rows.map((row) => row.published_at.getTime());
  }

  /** Welcome notifications of the users registered since `since` (epoch ms): commit and handling times. */
  async welcomeTimes(since: number): Promise<HandledEvent[]> {
    const rows = await this.rows<{ event_id: string; committed: Date; handled: Date }>(
      `SELECT o.event_id, o.created_at AS committed, n.created_at AS handled
         FROM outbox o JOIN notifications n ON n.source_event_id = o.event_id AND n.kind = 'welcome'
        WHERE o.event_name = 'users.user.registered' AND o.created_at >= $1`,
      [new Date(since)],
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      committedAt: row.committed.getTime(),
      handledAt: row.handled.getTime(),
    }));
  }

  /** What became of the registration events of users without a welcome notification (for a failure). */
  unwelcomedEvents(since: number): Promise<object[]> {
    return this.rows(
      `SELECT o.id, o.event_id, o.status, o.attempts, o.leased_by, o.last_error,
              round(extract(epoch FROM o.created_at) * 1000 - $1) AS committed_ms,
              round(extract(epoch FROM o.published_at) * 1000 - $1) AS published_ms,
              (SELECT count(*) FROM inbox i WHERE i.event_id = o.event_id) AS inbox_rows
         FROM users u JOIN outbox o ON o.aggregate_id = u.id::text AND o.event_name = 'users.user.registered'
        WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id::text AND n.kind = 'welcome')`,
      [since],
    );
  }

  async drop(): Promise<void> {
    await this.client.end().catch(() => undefined);
    await this.scratch.drop();
  }
}
