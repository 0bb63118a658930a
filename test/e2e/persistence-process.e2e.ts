import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  createScratchDatabase,
  postgresServerUrl,
  type ScratchPostgresDatabase,
} from '../support/database/postgres-server';
import { describeOnPostgres } from '../support/database/test-databases';
import { freePort } from '../support/free-port';
import { spawnService, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';

jest.setTimeout(60_000);

const processes: ServiceProcess[] = [];

function spawnTracked(...args: Parameters<typeof spawnService>): ServiceProcess {
  const started = spawnService(...args);
  processes.push(started);
  return started;
}

afterEach(() => {
  for (const started of processes.splice(0)) {
    if (started.child.exitCode === null) started.child.kill('SIGKILL');
  }
});

async function startedOn(port: number, running: ServiceProcess): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/health/ready`).catch(() => undefined))?.status === 200, {
    timeout: 30_000,
    message: () => running.output(),
  });
  return base;
}

async function register(base: string, email: string): Promise<Response> {
  return fetch(`${base}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Persistent Person' }),
  });
}

async function notificationCount(base: string, userId: string): Promise<number> {
  const response = await fetch(`${base}/notifications?userId=${userId}`);
  return ((await response.json()) as { notifications: unknown[] }).notifications.length;
}

describe('the built service on its embedded database', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'pglite-e2e-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps users and notifications across a restart', async () => {
    const configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, `database:\n  dataDir: ${join(directory, 'data')}\n`);
    const env = { CONFIG_FILE: configFile, EVENTBUS_TYPE: 'memory' };

    const firstPort = await freePort();
    const first = spawnTracked({ ...env, PORT: String(firstPort) });
    const firstBase = await startedOn(firstPort, first);
    const created = await register(firstBase, 'kept@example.com');
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await waitFor(async () => (await notificationCount(firstBase, id)) === 1);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const secondPort = await freePort();
    const second = spawnTracked({ ...env, PORT: String(secondPort) });
    const secondBase = await startedOn(secondPort, second);

    const user = await fetch(`${secondBase}/users/${id}`);
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({ id, email: 'kept@example.com' });
    expect(await notificationCount(secondBase, id)).toBe(1);
    expect((await register(secondBase, 'KEPT@example.com')).status).toBe(409);
    expect(second.output()).not.toContain('database migrated');
  });
});

describeOnPostgres('the built service and its tools on PostgreSQL', () => {
  let scratch: ScratchPostgresDatabase;

  beforeEach(async () => {
    scratch = await createScratchDatabase(postgresServerUrl()!);
  });
  afterEach(() => scratch.drop());

  async function sql(text: string): Promise<void> {
    const client = new Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  it('stops start-up with exit status 1 naming the migration that failed', async () => {
    // A table the first migration wants to create, already there with another shape.
    await sql('CREATE TABLE users (something int)');

    const running = spawnTracked({ DATABASE_URL: scratch.url, PORT: String(await freePort()) });

    expect((await running.exited).code).toBe(1);
    expect(running.output()).toMatch(
      /Failed to start: migration 0001_users\.sql: relation "users" already exists/,
    );
  });

  it('db:migrate applies the migrations once; outbox:requeue puts dead rows back in line', async () => {
    const migrate = spawnTracked({ DATABASE_URL: scratch.url, LOG_LEVEL: 'info' }, 'migrate.js');
    expect((await migrate.exited).code).toBe(0);
    expect(migrate.output()).toContain('0005_outbox_fillfactor.sql');
    const again = spawnTracked({ DATABASE_URL: scratch.url }, 'migrate.js');
    expect((await again.exited).code).toBe(0);
    expect(again.output()).toContain('already up to date');

    await sql(`INSERT INTO outbox (tenant_id, event_id, event_name, aggregate_id, message_key, topic, payload, headers, status, attempts)
               VALUES ('default', 'dead-1', 'users.user.registered', 'a', 'default/a', 'users.events', '\\x7b7d', '{}', 'dead', 30),
                      ('default', 'dead-2', 'users.user.registered', 'b', 'default/b', 'users.events', '\\x7b7d', '{}', 'dead', 30)`);
    const requeue = spawnTracked({ DATABASE_URL: scratch.url }, 'outbox-requeue.js', ['dead-1']);
    expect((await requeue.exited).code).toBe(0);
    expect(requeue.output()).toContain('requeued 1 dead outbox row(s)');
    const client = new Client({ connectionString: scratch.url });
    await client.connect();
    const rows = await client.query<{ event_id: string; status: string; attempts: number }>(
      'SELECT event_id, status, attempts FROM outbox ORDER BY event_id',
    );
    await client.end();
    expect(rows.rows).toEqual([
      { event_id: 'dead-1', status: 'pending', attempts: 0 },
      { event_id: 'dead-2', status: 'dead', attempts: 30 },
    ]);
  });
});
