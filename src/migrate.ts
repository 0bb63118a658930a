import 'reflect-metadata';
import { loadAppConfig } from './infrastructure/config/load-app-config';
import { ConfigError } from './infrastructure/eventbus';
import { createLogger } from './infrastructure/logging/create-logger';
import { openDatabase } from './infrastructure/persistence/database/open-database';
import { migrate, MigrationError } from './infrastructure/persistence/migrations/migrate';

/**
 * `npm run db:migrate`: applies the pending migrations to the configured database (DATABASE_URL,
 * else the embedded one) and exits. The service also migrates at start-up; this is for deployments
 * that migrate in a separate step.
 */
async function main(): Promise<void> {
  const config = loadAppConfig();
  const logger = createLogger(config.service);
  const database = await openDatabase(config.database, logger);
  try {
    const applied = await migrate(database);
    logger.info({ applied, driver: database.driver }, applied.length > 0 ? 'migrated' : 'already up to date');
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  // Config and migration errors name the key or file; only an unexpected error needs its stack.
  const expected = error instanceof ConfigError || error instanceof MigrationError;
  const text =
    error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`Migration failed: ${text}\n`);
  process.exit(1);
});
