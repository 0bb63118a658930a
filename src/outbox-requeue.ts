import 'reflect-metadata';
import { loadAppConfig } from './infrastructure/config/load-app-config';
import { createLogger } from './infrastructure/logging/create-logger';
import { openDatabase } from './infrastructure/persistence/database/open-database';
import { OutboxStore } from './infrastructure/persistence/outbox/outbox-store';

/**
 * `npm run outbox:requeue -- [eventId ...]`: puts dead outbox rows (all, or the given events) back in
 * line with fresh attempts. Run it once the cause is fixed; the relays pick them up in order, and the
 * events their aggregates held back follow.
 */
async function main(): Promise<void> {
  const eventIds = process.argv.slice(2);
  const config = loadAppConfig();
  const database = await openDatabase(config.database, createLogger(config.service));
  try {
    const requeued = await new OutboxStore(database).requeueDead(eventIds.length > 0 ? eventIds : undefined);
    process.stdout.write(`requeued ${requeued} dead outbox row(s)\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Requeue failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
