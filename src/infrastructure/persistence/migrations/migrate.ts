import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../database/database';

/** The .sql files next to this module; the build copies them beside the compiled code. */
export const MIGRATIONS_DIR = __dirname;

// Any fixed number: every instance must take the same lock.
const MIGRATION_LOCK_KEY = 7_263_118_401;
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** A migration failed or does not match what was applied before; `file` names the culprit. */
export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';

  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`migration ${file}: ${message}`, options);
    this.name = new.target.name;
  }
}

interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/**
 * Applies the pending migrations in name order, in one transaction under an advisory lock, so
 * instances starting together apply each file once and a failure leaves nothing half-applied.
 * Each file is recorded with its checksum; an applied file that was edited afterwards is an error.
 * Returns the names applied now.
 */
export async function migrate(database: Database, directory = MIGRATIONS_DIR): Promise<string[]> {
  const files = readMigrationFiles(directory);
  return database.transaction(async () => {
    await database.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await database.execScript(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         name text PRIMARY KEY,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = new Map(
      (
        await database.query<{ name: string; checksum: string }>(
          'SELECT name, checksum FROM schema_migrations',
        )
      ).map((row) => [row.name, row.checksum]),
    );
    const appliedNow: string[] = [];
    for (const file of files) {
      const checksum = applied.get(file.name);
      if (checksum !== undefined) {
        if (checksum !== file.checksum) {
          throw new MigrationError(
            file.name,
            'was changed after it was applied; add a new migration instead',
          );
        }
        continue;
      }
      try {
        await database.execScript(file.sql);
      } catch (error) {
        throw new MigrationError(file.name, error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      await database.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        file.name,
        file.checksum,
      ]);
      appliedNow.push(file.name);
    }
    return appliedNow;
  });
}

function readMigrationFiles(directory: string): MigrationFile[] {
  const names = readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return names.map((name) => {
    if (!FILE_NAME.test(name)) {
      throw new MigrationError(name, 'file names must look like 0001_description.sql');
    }
    const sql = readFileSync(join(directory, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}
