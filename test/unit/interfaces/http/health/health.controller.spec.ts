import request from 'supertest';
import { NotReadyError, type HealthProbes } from '../../../../../src/interfaces/http/health/health-probes';
import { buildTestApp, healthyProbes } from '../http-app.fixture';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function probes(overrides: Partial<HealthProbes>): HealthProbes {
  return { ...healthyProbes(), ...overrides };
}

describe('health routes', () => {
  describe.each(['/health', '/health/eventbus'])('GET %s (the seed handler)', (path) => {
    it('200 healthy with a timestamp when the bus is healthy', async () => {
      const { app } = buildTestApp();

      const response = await request(app).get(path);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        status: 'healthy',
        timestamp: expect.stringMatching(ISO_TIMESTAMP) as string,
      });
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('503 unhealthy when the bus is not, without the reason (it may name brokers)', async () => {
      const { app } = buildTestApp({
        health: probes({ eventBus: () => Promise.reject(new Error('kafka: no brokers reachable')) }),
      });

      const response = await request(app).get(path);

      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 'unhealthy',
        error: 'the event bus is unavailable',
        timestamp: expect.stringMatching(ISO_TIMESTAMP) as string,
      });
    });
  });

  it('503 with a timeout error when the probe hangs, and aborts the probe', async () => {
    let probeSignal: AbortSignal | undefined;
    const { app } = buildTestApp({
      healthCheckTimeoutMs: 50,
      health: probes({
        eventBus: (signal) => {
          probeSignal = signal;
          return new Promise<void>(() => undefined);
        },
      }),
    });

    const response = await request(app).get('/health');

    expect(response.status).toBe(503);
    expect(response.body).toEqual(
      expect.objectContaining({ status: 'unhealthy', error: 'health check timed out after 50 ms' }),
    );
    expect(probeSignal?.aborted).toBe(true);
  });

  it('503 when the probe throws synchronously or rejects with a non-error', async () => {
    const { app } = buildTestApp({
      health: probes({
        eventBus: () => {
          throw new Error('not connected');
        },
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error reason is the case under test
        readiness: () => Promise.reject('consumers stopped'),
      }),
    });

    const health = await request(app).get('/health');
    const ready = await request(app).get('/health/ready');

    expect(health.status).toBe(503);
    expect((health.body as { error: string }).error).toBe('the event bus is unavailable');
    expect(ready.status).toBe(503);
    expect((ready.body as { error: string }).error).toBe('not ready');
  });

  it('GET /health/live is 200 alive even when the bus is down', async () => {
    const { app } = buildTestApp({
      health: probes({
        eventBus: () => Promise.reject(new Error('down')),
        readiness: () => Promise.reject(new Error('down')),
      }),
    });

    const response = await request(app).get('/health/live');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'alive',
      timestamp: expect.stringMatching(ISO_TIMESTAMP) as string,
    });
  });

  it('GET /health/live is 503 dead, naming the part, when something cannot recover by itself', async () => {
    const { app } = buildTestApp({
      health: probes({
        liveness: () => [{ check: 'eventbus', reason: 'NATS closed: Authorization Violation at 10.0.0.7' }],
      }),
      healthDetails: true,
    });

    const response = await request(app).get('/health/live');

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'dead',
      error: 'cannot recover: eventbus',
      timestamp: expect.stringMatching(ISO_TIMESTAMP) as string,
    });
    const details = await request(app).get('/health/details');
    expect((details.body as { unrecoverable: unknown }).unrecoverable).toEqual({
      eventbus: 'NATS closed: Authorization Violation at 10.0.0.7',
    });
  });

  it('GET /health/ready is 200 ready when readiness resolves', async () => {
    const { app } = buildTestApp();

    const response = await request(app).get('/health/ready');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      timestamp: expect.stringMatching(ISO_TIMESTAMP) as string,
    });
  });

  const notReady = (): HealthProbes =>
    probes({
      eventBus: () => Promise.reject(new Error('kafka: connect ECONNREFUSED 10.0.0.7:9092')),
      readiness: () =>
        Promise.reject(
          new NotReadyError([
            { check: 'eventbus', reason: 'kafka: connect ECONNREFUSED 10.0.0.7:9092' },
            { check: 'consumers', reason: '1 of 2 stopped' },
          ]),
        ),
    });

  it('GET /health/ready is 503 not_ready naming what is not ready, not why', async () => {
    const { app } = buildTestApp({ health: notReady() });

    const response = await request(app).get('/health/ready');

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'not_ready',
      error: 'not ready: eventbus, consumers',
      timestamp: expect.stringMatching(ISO_TIMESTAMP) as string,
    });
  });

  it('GET /health/details says why each check fails, when enabled', async () => {
    const { app } = buildTestApp({ health: notReady(), healthDetails: true });

    const response = await request(app).get('/health/details');

    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'not_ready',
      eventbus: 'kafka: connect ECONNREFUSED 10.0.0.7:9092',
      failing: { eventbus: 'kafka: connect ECONNREFUSED 10.0.0.7:9092', consumers: '1 of 2 stopped' },
      unrecoverable: {},
      timestamp: expect.stringMatching(ISO_TIMESTAMP) as string,
    });
  });

  it('GET /health/details does not exist unless enabled', async () => {
    const { app } = buildTestApp({ health: notReady() });

    await request(app).get('/health/details').expect(404);
  });
});
