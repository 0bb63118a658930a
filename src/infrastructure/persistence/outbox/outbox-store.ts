import type { Database } from '../database/database';

/** A row claimed for publishing. */
export interface ClaimedOutboxRow {
  readonly id: string;
  readonly eventId: string;
  readonly aggregateId: string;
  /** The bus key: the aggregate, qualified by its tenant. */
  readonly key: string;
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly headers: Record<string, string>;
  /** Counting this one. */
  readonly attempts: number;
}

export interface FailedOutboxRow {
  readonly id: string;
  readonly error: string;
  /** Milliseconds until the row may be claimed again. */
  readonly retryInMs: number;
}

export interface OutboxCounts {
  readonly pending: number;
  readonly dead: number;
  /** Seconds since the oldest pending row was written; 0 when none is pending. */
  readonly oldestPendingAgeSeconds: number;
}

interface ClaimedRow {
  id: string | number;
  event_id: string;
  aggregate_id: string;
  message_key: string;
  topic: string;
  payload: Uint8Array;
  headers: Record<string, string>;
  attempts: number;
  [column: string]: unknown;
}

const MAX_ERROR_LENGTH = 2000;

/** The outbox table's SQL; the relay decides when to call what. */
export class OutboxStore {
  constructor(private readonly database: Database) {}

  /**
   * Leases up to `limit` rows for `relayId`: the oldest unpublished row of each aggregate, if it is
   * due and not leased by someone else. A row behind an unpublished (pending or dead) row of its
   * aggregate is never claimed, so aggregates keep their order whatever number of relays run.
   * SKIP LOCKED lets relays claim side by side without waiting for each other.
   *
   * "Nothing earlier of its aggregate is unpublished" is a NOT EXISTS kept as a per-row index lookup
   * (OFFSET 0 stops PostgreSQL from turning it into an anti-join). As an anti-join, statistics taken
   * while nothing was pending (the usual state) let the planner scan the whole index per candidate,
   * and a backlog (a broker outage) made every claim quadratic: seconds per batch, then statement
   * timeouts. Written as `id = (SELECT min(id) ...)` instead, the planner expects few matches and
   * reads every pending row per claim. This form costs the same ~2 ms per batch either way.
   */
  async claim(relayId: string, limit: number, leaseMs: number): Promise<ClaimedOutboxRow[]> {
    const rows = await this.database.query<ClaimedRow>(
      `UPDATE outbox AS o
       SET leased_by = $1, leased_until = now() + $2 * interval '1 millisecond', attempts = o.attempts + 1
       FROM (
         SELECT c.id FROM outbox c
         WHERE c.status = 'pending'
           AND c.next_attempt_at <= now()
           AND (c.leased_until IS NULL OR c.leased_until < now())
           AND NOT EXISTS (
             SELECT 1 FROM outbox earlier
             WHERE earlier.aggregate_id = c.aggregate_id AND earlier.status <> 'published' AND earlier.id < c.id
             OFFSET 0
           )
         ORDER BY c.id
         LIMIT $3
         FOR UPDATE OF c SKIP LOCKED
       ) AS claimable
       WHERE o.id = claimable.id
       RETURNING o.id, o.event_id, o.aggregate_id, o.message_key, o.topic, o.payload, o.headers, o.attempts`,
      [relayId, leaseMs, limit],
    );
    return rows
      .map((row) => ({
        id: String(row.id),
        eventId: row.event_id,
        aggregateId: row.aggregate_id,
        key: row.message_key,
        topic: row.topic,
        payload: row.payload,
        headers: row.headers,
        attempts: row.attempts,
      }))
      .sort((a, b) => compareIds(a.id, b.id));
  }

  /** Marks rows this relay still holds as published; returns each one's seconds from commit to now. */
  async markPublished(relayId: string, ids: readonly string[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.database.query<{ lag: number | string }>(
      `UPDATE outbox
       SET status = 'published', published_at = now(), leased_by = NULL, leased_until = NULL, last_error = NULL
       WHERE id = ANY($1::bigint[]) AND leased_by = $2
       RETURNING extract(epoch FROM now() - created_at) AS lag`,
      [ids, relayId],
    );
    return rows.map((row) => Number(row.lag));
  }

  /**
   * Gives failed rows back with their backoff; a row out of attempts becomes dead. Returns the ids
   * that died now.
   */
  async markFailed(
    relayId: string,
    failures: readonly FailedOutboxRow[],
    maxAttempts: number,
  ): Promise<string[]> {
    if (failures.length === 0) return [];
    const rows = await this.database.query<{ id: string | number; status: string }>(
      `UPDATE outbox AS o
       SET leased_by = NULL, leased_until = NULL, last_error = f.error,
           next_attempt_at = now() + f.retry_in_ms * interval '1 millisecond',
           status = CASE WHEN o.attempts >= $2 THEN 'dead' ELSE 'pending' END
       FROM unnest($3::bigint[], $4::text[], $5::bigint[]) AS f(id, error, retry_in_ms)
       WHERE o.id = f.id AND o.leased_by = $1
       RETURNING o.id, o.status`,
      [
        relayId,
        maxAttempts,
        failures.map((f) => f.id),
        failures.map((f) => f.error.slice(0, MAX_ERROR_LENGTH)),
        failures.map((f) => Math.round(f.retryInMs)),
      ],
    );
    return rows.filter((row) => row.status === 'dead').map((row) => String(row.id));
  }

  /**
   * Gives back rows that could not go out because the bus was down: the attempt their claim counted
   * is returned, and they are due again after `retryInMs`.
   */
  async giveBack(relayId: string, failures: readonly FailedOutboxRow[], retryInMs: number): Promise<void> {
    if (failures.length === 0) return;
    await this.database.query(
      `UPDATE outbox AS o
       SET leased_by = NULL, leased_until = NULL, last_error = f.error, attempts = greatest(o.attempts - 1, 0),
           next_attempt_at = now() + $3 * interval '1 millisecond'
       FROM unnest($2::bigint[], $4::text[]) AS f(id, error)
       WHERE o.id = f.id AND o.leased_by = $1`,
      [
        relayId,
        failures.map((f) => f.id),
        Math.round(retryInMs),
        failures.map((f) => f.error.slice(0, MAX_ERROR_LENGTH)),
      ],
    );
  }

  /** Returns this relay's leases, so another relay need not wait for them to expire. */
  async releaseLeases(relayId: string): Promise<void> {
    await this.database.query(
      `UPDATE outbox SET leased_by = NULL, leased_until = NULL, attempts = greatest(attempts - 1, 0)
       WHERE leased_by = $1 AND status = 'pending'`,
      [relayId],
    );
  }

  /** Deletes published rows older than `retentionMs`, at most `limit` per call; returns how many. */
  async deletePublished(retentionMs: number, limit: number): Promise<number> {
    const rows = await this.database.query(
      `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox
         WHERE status = 'published' AND published_at < now() - $1 * interval '1 millisecond'
         LIMIT $2
       ) RETURNING id`,
      [retentionMs, limit],
    );
    return rows.length;
  }

  /** Puts dead rows back in line (all of them, or those of the given event ids); returns how many. */
  async requeueDead(eventIds?: readonly string[]): Promise<number> {
    const rows = await this.database.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
       WHERE status = 'dead' AND ($1::text[] IS NULL OR event_id = ANY($1::text[]))
       RETURNING id`,
      [eventIds ?? null],
    );
    return rows.length;
  }

  async counts(): Promise<OutboxCounts> {
    const [row] = await this.database.query<{
      pending: string | number;
      dead: string | number;
      age: string | number | null;
    }>(
      `SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
              count(*) FILTER (WHERE status = 'dead') AS dead,
              extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')) AS age
       FROM outbox WHERE status <> 'published'`,
    );
    return {
      pending: Number(row?.pending ?? 0),
      dead: Number(row?.dead ?? 0),
      oldestPendingAgeSeconds: Number(row?.age ?? 0),
    };
  }
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
