import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { PgDatabase } from '../../../src/infrastructure/persistence/database/pg.database';
import {
  migrate,
  MigrationError,
  MIGRATIONS_DIR,
} from '../../../src/infrastructure/persistence/migrations/migrate';
import {
  createTestDatabase,
  describeOnEachDatabase,
  describeOnPostgres,
  type TestDatabase,
} from '../../support/database/test-databases';

jest.setTimeout(60_000);

const SHIPPED = readdirSync(MIGRATIONS_DIR)
  .filter((name) => name.endsWith('.sql'))
  .sort();

/** A copy of the shipped migrations plus `extra` files, in a directory of its own. */
function migrationsWith(extra: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const name of SHIPPED) copyFileSync(join(MIGRATIONS_DIR, name), join(directory, name));
  for (const [name, sql] of Object.entries(extra)) writeFileSync(join(directory, name), sql);
  return directory;
}

async function tables(test: TestDatabase): Promise<string[]> {
  const rows = await test.database.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

describeOnEachDatabase('migrations', (driver) => {
  let test: TestDatabase;
  const directories: string[] = [];

  beforeEach(async () => {
    test = await createTestDatabase(driver, { migrated: false });
  });

  afterEach(async () => {
    await test.dispose();
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('applies every file once, in order, and records it', async () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(4);

    expect(await migrate(test.database)).toEqual(SHIPPED);
    expect(await migrate(test.database)).toEqual([]);

    const recorded = await test.database.query<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY name',
    );
    expect(recorded.map((row) => row.name)).toEqual(SHIPPED);
    expect(await tables(test)).toEqual(['inbox', 'notifications', 'outbox', 'schema_migrations', 'users']);
  });

  it('stops at a failing file, names it, and leaves nothing of the run applied', async () => {
    const directory = migrationsWith({ '9001_broken.sql': 'CREATE TABLE half_done (id int);\nSELEC 1;' });
    directories.push(directory);

    const failure = migrate(test.database, directory);

    await expect(failure).rejects.toThrow(MigrationError);
    await expect(failure).rejects.toThrow(/9001_broken\.sql/);
    expect(await tables(test)).toEqual([]);
  });

  it('refuses to run when an applied file was edited afterwards', async () => {
    await migrate(test.database);
    const directory = migrationsWith({});
    directories.push(directory);
    writeFileSync(join(directory, SHIPPED[0]!), '-- edited\n');

    await expect(migrate(test.database, directory)).rejects.toThrow(
      new MigrationError(SHIPPED[0]!, 'was changed after it was applied; add a new migration instead'),
    );
  });

  it('rejects a file whose name has no version', async () => {
    const directory = migrationsWith({ 'add-column.sql': 'SELECT 1;' });
    directories.push(directory);

    await expect(migrate(test.database, directory)).rejects.toThrow(
      /add-column\.sql: file names must look like/,
    );
  });
});

describeOnPostgres('migrations run by several instances at once', () => {
  it('applies each file exactly once while five instances start together', async () => {
    const first = await createTestDatabase('postgres', { migrated: false });
    const others = Array.from(
      { length: 4 },
      () =>
        new PgDatabase({
          url: first.url!,
          poolSize: 2,
          connectionTimeout: 5_000,
          statementTimeout: 10_000,
          logger: pino({ level: 'silent' }),
        }),
    );
    try {
      const results = await Promise.all([first.database, ...others].map((database) => migrate(database)));

      // Exactly one instance applied everything; the others waited on the lock and found nothing to do.
      expect(results.filter((applied) => applied.length > 0)).toEqual([SHIPPED]);
      const recorded = await first.database.query<{ count: string }>(
        'SELECT count(*) FROM schema_migrations',
      );
      expect(Number(recorded[0]!.count)).toBe(SHIPPED.length);
    } finally {
      await Promise.all(others.map((database) => database.close()));
      await first.dispose();
    }
  });
});
