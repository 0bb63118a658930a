import type { Logger } from 'pino';
import type { DatabaseConfig } from '../../config/persistence.config';
import type { Database } from './database';
import { PgDatabase } from './pg.database';
import { PgliteDatabase } from './pglite.database';

/** PostgreSQL when `url` is set, else the embedded PGlite database in `dataDir`. */
export async function openDatabase(config: DatabaseConfig, logger: Logger): Promise<Database> {
  if (config.url) {
    return new PgDatabase({
      url: config.url,
      poolSize: config.poolSize,
      connectionTimeout: config.connectionTimeout,
      statementTimeout: config.statementTimeout,
      logger,
    });
  }
  return PgliteDatabase.open(config.dataDir);
}
