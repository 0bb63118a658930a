/** Where the service keeps its state. */
export interface DatabaseConfig {
  /** A PostgreSQL connection string; absent means the embedded PGlite database in `dataDir`. */
  url?: string;
  /** PGlite's data directory (relative to the working directory), or `memory://` to keep nothing. */
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize: number;
  /** Milliseconds to get a connection before the request fails as "database unavailable". */
  connectionTimeout: number;
  /** Milliseconds one statement may run; bounds how long a request can wait on the database. */
  statementTimeout: number;
}

/** The relay that publishes committed outbox rows to the bus. */
export interface OutboxConfig {
  /** Rows claimed per round; at most one per aggregate, so per-aggregate order holds. */
  batchSize: number;
  /** Rounds in flight at once, each claiming its own batch; one claims while another publishes. */
  concurrency: number;
  /** Fallback when no LISTEN/NOTIFY wake-up arrives (lost listener, another writer). */
  pollInterval: number;
  /** How long a claim is held; another relay takes the row over once it expires. */
  leaseDuration: number;
  /** Bound of one publish; kept well below `leaseDuration` so a lease outlives its publish. */
  publishTimeout: number;
  /** Publish attempts before a row is marked dead (it then holds back its aggregate's later events). */
  maxAttempts: number;
  initialBackoff: number;
  maxBackoff: number;
  /** Published rows are deleted after this long. */
  retention: number;
  cleanupInterval: number;
}

/** Records of handled events that make consumers idempotent. */
export interface InboxConfig {
  /** Must outlast any redelivery of an event, or a late duplicate would be handled again. */
  retention: number;
}

export function getDefaultDatabaseConfig(): DatabaseConfig {
  return {
    dataDir: '.data/pglite',
    poolSize: 10,
    connectionTimeout: 5_000,
    statementTimeout: 10_000,
  };
}

export function getDefaultOutboxConfig(): OutboxConfig {
  return {
    batchSize: 256,
    concurrency: 4,
    pollInterval: 1_000,
    leaseDuration: 60_000,
    publishTimeout: 15_000,
    maxAttempts: 30,
    initialBackoff: 500,
    maxBackoff: 300_000,
    retention: 86_400_000,
    cleanupInterval: 300_000,
  };
}

export function getDefaultInboxConfig(): InboxConfig {
  return { retention: 7 * 86_400_000 };
}
