import { Client } from 'pg';
import { uniqueName } from '../unique';

/**
 * The PostgreSQL server the tests use, from POSTGRES_URL (CI sets it). Tests never touch its
 * existing databases: each creates its own and drops it.
 */
export function postgresServerUrl(): string | undefined {
  return process.env.POSTGRES_URL?.trim() || undefined;
}

export interface ScratchPostgresDatabase {
  /** Connection string of the new database. */
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server, named so that nothing else can clash with it. */
export async function createScratchDatabase(
  serverUrl: string,
  prefix = 'test',
): Promise<ScratchPostgresDatabase> {
  const name = uniqueName(prefix)
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase();
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

async function withAdmin(serverUrl: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
