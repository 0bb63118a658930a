/** A row as the driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/** Runs SQL; inside `Database.transaction` the statements run in that transaction. */
export interface SqlExecutor {
  /** One statement with `$1`-style parameters. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements without parameters, e.g. a migration file. */
  execScript(sql: string): Promise<void>;
}

/** Stops a LISTEN started by `Database.listen`. */
export interface NotificationListener {
  close(): Promise<void>;
}

/**
 * The service's database, PostgreSQL (`pg`) or embedded PGlite: the same SQL runs on both.
 *
 * Transactions are ambient: `transaction(work)` runs `work` with the transaction attached to its
 * async context, so every query made from it (by any repository) joins that transaction without a
 * handle being passed through the application layer. A nested call joins the outer transaction.
 */
export interface Database extends SqlExecutor {
  readonly driver: 'postgres' | 'pglite';
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** True inside `transaction`. */
  inTransaction(): boolean;
  /**
   * Calls `onNotify` for every NOTIFY on `channel`, and also after the listener reconnected (a
   * notification sent while it was down is lost, so the caller should look for missed work).
   */
  listen(channel: string, onNotify: () => void): Promise<NotificationListener>;
  /** Rejects with the reason when the database cannot answer a query now. */
  healthCheck(): Promise<void>;
  close(): Promise<void>;
}
