import pino from 'pino';
import type { Database } from '../../../src/infrastructure/persistence/database/database';
import { PgDatabase } from '../../../src/infrastructure/persistence/database/pg.database';
import { PgliteDatabase } from '../../../src/infrastructure/persistence/database/pglite.database';
import { migrate } from '../../../src/infrastructure/persistence/migrations/migrate';
import { describeWithBroker } from '../brokers';
import { createScratchDatabase, postgresServerUrl } from './postgres-server';

export type DatabaseDriver = Database['driver'];

export interface TestDatabase {
  readonly database: Database;
  /** Set for PostgreSQL: the scratch database's connection string. */
  readonly url?: string;
  /** Closes the database and, on PostgreSQL, drops it. */
  dispose(): Promise<void>;
}

const silent = pino({ level: 'silent' });
let migratedPgliteSnapshot: Promise<Blob> | undefined;

/**
 * A migrated database of its own. PGlite starts from a snapshot of one migrated instance (a new
 * instance takes seconds to initialise; a copy under one), PostgreSQL from a new scratch database.
 */
export async function createTestDatabase(
  driver: DatabaseDriver,
  options: { migrated?: boolean; poolSize?: number; statementTimeout?: number } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (driver === 'pglite') {
    const database = await PgliteDatabase.open('memory://', migrated ? await pgliteSnapshot() : undefined);
    return { database, dispose: () => database.close() };
  }
  const server = postgresServerUrl();
  if (!server) throw new Error('POSTGRES_URL is not set');
  const scratch = await createScratchDatabase(server);
  const database = new PgDatabase({
    url: scratch.url,
    poolSize: options.poolSize ?? 10,
    connectionTimeout: 5_000,
    statementTimeout: options.statementTimeout ?? 10_000,
    logger: silent,
  });
  if (migrated) await migrate(database);
  return {
    database,
    url: scratch.url,
    async dispose() {
      await database.close();
      await scratch.drop();
    },
  };
}

function pgliteSnapshot(): Promise<Blob> {
  migratedPgliteSnapshot ??= (async () => {
    const template = await PgliteDatabase.open('memory://');
    try {
      await migrate(template);
      return await template.snapshot();
    } finally {
      await template.close();
    }
  })();
  return migratedPgliteSnapshot;
}

/**
 * Runs `body` once per driver: the same suite proves the same SQL on embedded PGlite and on a
 * PostgreSQL server. Without POSTGRES_URL the PostgreSQL run is skipped loudly, and fails under CI.
 */
export function describeOnEachDatabase(name: string, body: (driver: DatabaseDriver) => void): void {
  describe(`${name} (pglite)`, () => body('pglite'));
  describeOnPostgres(name, () => body('postgres'));
}

/**
 * For suites that need a server (several connections, a server to stop): PostgreSQL only, found
 * through POSTGRES_URL like the brokers (skipped loudly without it, failed under CI).
 */
export function describeOnPostgres(name: string, body: () => void): void {
  describeWithBroker('postgres', `${name} (postgres)`, body);
}
