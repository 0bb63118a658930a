import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { AmbientTransaction } from './ambient-transaction';
import type { Database, NotificationListener, Row, SqlExecutor } from './database';

const IN_MEMORY = 'memory://';

/**
 * PostgreSQL compiled to WebAssembly, in this process: no server to install. It has one connection,
 * so statements and transactions run one at a time; a data directory belongs to one process.
 */
export class PgliteDatabase implements Database {
  readonly driver = 'pglite';
  private readonly ambient = new AmbientTransaction();

  private constructor(private readonly pglite: PGlite) {}

  /**
   * `dataDir` is a directory (created if missing) or `memory://`. `snapshot` (from `dumpDataDir`)
   * starts from a copy of another database, which skips the few seconds of initialising a new one.
   */
  static async open(dataDir: string, snapshot?: Blob): Promise<PgliteDatabase> {
    const inMemory = dataDir === IN_MEMORY;
    if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true });
    const pglite = await PGlite.create({
      ...(inMemory ? {} : { dataDir: resolve(dataDir) }),
      ...(snapshot ? { loadDataDir: snapshot } : {}),
    });
    return new PgliteDatabase(pglite);
  }

  query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (this.ambient.current() ?? executorOf(this.pglite)).query<R>(sql, params);
  }

  execScript(sql: string): Promise<void> {
    return (this.ambient.current() ?? executorOf(this.pglite)).execScript(sql);
  }

  inTransaction(): boolean {
    return this.ambient.current() !== undefined;
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return work();
    return this.pglite.transaction((transaction) => this.ambient.run(executorOf(transaction), work));
  }

  async listen(channel: string, onNotify: () => void): Promise<NotificationListener> {
    const unlisten = await this.pglite.listen(channel, () => onNotify());
    return { close: unlisten };
  }

  async healthCheck(): Promise<void> {
    await this.query('SELECT 1');
  }

  /** A copy of the whole database, for `open(..., snapshot)`. */
  snapshot(): Promise<Blob> {
    return this.pglite.dumpDataDir('none');
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

function executorOf(target: PGlite | Transaction): SqlExecutor {
  return {
    query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
      (await target.query<R>(sql, params as unknown[])).rows,
    execScript: async (sql) => void (await target.exec(sql)),
  };
}
