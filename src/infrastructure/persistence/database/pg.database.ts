import { Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import { AmbientTransaction } from './ambient-transaction';
import type { Database, NotificationListener, Row, SqlExecutor } from './database';
import { DependencyUnavailableError } from '../../../application/shared/dependency-unavailable.error';
import { translateDatabaseError } from './database-errors';
import { PgNotificationListener } from './pg-notification-listener';

export interface PgDatabaseOptions {
  readonly url: string;
  readonly poolSize: number;
  /** Milliseconds to get a connection (new or from the pool). */
  readonly connectionTimeout: number;
  /** Milliseconds one statement may run on the server. */
  readonly statementTimeout: number;
  readonly applicationName?: string;
  readonly logger: Logger;
}

/** PostgreSQL through a node-postgres pool. */
export class PgDatabase implements Database {
  readonly driver = 'postgres';
  private readonly pool: Pool;
  private readonly ambient = new AmbientTransaction();
  private readonly listeners = new Set<PgNotificationListener>();

  constructor(private readonly options: PgDatabaseOptions) {
    this.pool = new Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectionTimeout,
      statement_timeout: options.statementTimeout,
      // A frozen server never answers, so the client gives up shortly after the server would have.
      query_timeout: options.statementTimeout + 1_000,
      keepAlive: true,
      application_name: options.applicationName ?? 'hexagonal-eventbus-service',
    });
    // An idle connection that breaks must not crash the process; the next query reconnects.
    this.pool.on('error', (error) => options.logger.warn({ err: error }, 'idle database connection lost'));
  }

  query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const transaction = this.ambient.current();
    if (transaction) return transaction.query<R>(sql, params);
    return translated(async () => (await this.pool.query<R>(sql, params as unknown[])).rows);
  }

  execScript(sql: string): Promise<void> {
    const transaction = this.ambient.current();
    if (transaction) return transaction.execScript(sql);
    return translated(async () => void (await this.pool.query(sql)));
  }

  inTransaction(): boolean {
    return this.ambient.current() !== undefined;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return work();
    const client = await translated(() => this.pool.connect());
    let broken = false;
    // A connection that drops between two statements reports it as an 'error' event, which would
    // crash the process unheard; the next statement fails anyway, and the connection is not reused.
    const onLost = (error: Error): void => {
      broken = true;
      this.options.logger.warn({ err: error }, 'database connection lost during a transaction');
    };
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      const result = await this.ambient.run(executorOf(client), work);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      const translated = translateDatabaseError(error);
      // A connection that failed or timed out is not asked for a rollback it cannot answer; the
      // server rolls back when the connection goes away.
      if (translated instanceof DependencyUnavailableError) broken = true;
      else await client.query('ROLLBACK').catch(() => (broken = true));
      throw translated;
    } finally {
      client.off('error', onLost);
      // A connection in an unknown state is destroyed, not handed to the next caller.
      client.release(broken);
    }
  }

  async listen(channel: string, onNotify: () => void): Promise<NotificationListener> {
    const listener = new PgNotificationListener({
      url: this.options.url,
      channel,
      onNotify,
      connectionTimeout: this.options.connectionTimeout,
      logger: this.options.logger,
      onClose: () => this.listeners.delete(listener),
    });
    this.listeners.add(listener);
    await listener.start();
    return listener;
  }

  async healthCheck(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener.close()));
    await this.pool.end();
  }
}

function executorOf(client: PoolClient): SqlExecutor {
  return {
    query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
      (await client.query<R>(sql, params as unknown[])).rows,
    execScript: async (sql) => void (await client.query(sql)),
  };
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
