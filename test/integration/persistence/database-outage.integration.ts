import pino from 'pino';
import request from 'supertest';
import { type Service } from '../../../src/infrastructure/di/service';
import { PgDatabase } from '../../../src/infrastructure/persistence/database/pg.database';
import { migrate } from '../../../src/infrastructure/persistence/migrations/migrate';
import {
  createScratchDatabase,
  postgresServerUrl,
  type ScratchPostgresDatabase,
} from '../../support/database/postgres-server';
import { TcpProxy } from '../../support/database/tcp-proxy';
import { describeOnPostgres } from '../../support/database/test-databases';
import { startTestService } from '../../support/test-service';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(60_000);

const TIMEOUT_MS = 1_000;

/**
 * The service on PostgreSQL reached through a proxy the test controls, so the database can go away
 * (connections refused) or hang (connections open, no answer) without touching the shared server.
 */
describeOnPostgres('the service while its database is down', () => {
  let scratch: ScratchPostgresDatabase;
  let proxy: TcpProxy;
  let service: Service;
  let emails = 0;
  const logged: string[] = [];
  const register = () =>
    request(service.app)
      .post('/users')
      .send({ email: `outage-${Date.now()}-${++emails}@example.com`, name: 'Outage' });

  beforeAll(async () => {
    scratch = await createScratchDatabase(postgresServerUrl()!);
    const target = new URL(scratch.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(scratch.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const database = new PgDatabase({
      url: viaProxy.toString(),
      poolSize: 4,
      connectionTimeout: TIMEOUT_MS,
      statementTimeout: TIMEOUT_MS,
      logger: pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) }),
    });
    await migrate(database);
    service = await startTestService('config/default.yaml', () => undefined, { database });
  });

  afterAll(async () => {
    await service.stop();
    await proxy.close();
    await scratch.drop();
  });

  afterEach(() => proxy.restore());

  it('fails only the transaction whose connection is cut between two statements', async () => {
    const first = service.database.transaction(async () => {
      await service.database.query('SELECT 1');
      await proxy.cut();
      // Gone while no statement runs: the client can only report it as an event, which is heard.
      await waitFor(
        () => logged.some((line) => line.includes('database connection lost during a transaction')),
        {
          timeout: 5_000,
        },
      );
      await service.database.query('SELECT 1');
    });

    await expect(first).rejects.toThrow();
    await proxy.restore();
    await waitFor(async () => (await register()).status === 201, { timeout: 10_000 });
  });

  it('answers 503 within the configured timeout while the database refuses connections, and recovers', async () => {
    await register().expect(201);
    await proxy.cut();

    const started = Date.now();
    const refused = await register().expect(503);
    // Bounded by the timeouts (with room for a loaded machine), not by a TCP or pool default.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 5);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The database is unavailable; try again later',
      instance: '/users',
      code: 'DEPENDENCY_UNAVAILABLE',
      requestId: expect.any(String) as string,
    });
    const ready = await request(service.app).get('/health/ready').expect(503);
    expect((ready.body as { error: string }).error).toMatch(/^not ready: (.*, )?database\b/);

    await proxy.restore();
    await waitFor(async () => (await register()).status === 201, { timeout: 10_000 });
    await waitFor(async () => (await request(service.app).get('/health/ready')).status === 200, {
      timeout: 10_000,
    });
  });

  it('answers 503 instead of hanging while the database does not answer', async () => {
    await register().expect(201);
    proxy.freeze();

    const started = Date.now();
    await register().expect(503);
    // A pooled connection waits for the query timeout (statement timeout + 1 s), a new one for the
    // connect timeout; the bound leaves room for a loaded machine, far from an unbounded hang.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 8);

    await proxy.restore();
    await waitFor(async () => (await register()).status === 201, { timeout: 10_000 });
  });
});
