import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { RegisterUserCommandMother } from '../../../../support/mothers/users/register-user-command.mother';
import { buildTestApp, capturingLogger, ContextCapturingEventPublisher } from '../http-app.fixture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request id middleware', () => {
  it('echoes a valid X-Request-Id', async () => {
    const { app } = buildTestApp();

    const response = await request(app).get('/health/live').set('X-Request-Id', 'req-1.a:B_2');

    expect(response.headers['x-request-id']).toBe('req-1.a:B_2');
  });

  it('generates a UUID when the request has none', async () => {
    const { app } = buildTestApp();

    const response = await request(app).get('/health/live');

    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it.each([
    ['with spaces', 'abc def'],
    ['with a newline escape', 'abc%0d%0aSet-Cookie'],
    ['with JSON characters', '{"level":60}'],
    ['longer than 128 characters', 'a'.repeat(129)],
  ])('replaces an id %s with a generated one', async (_label, requestId) => {
    const { app } = buildTestApp();

    const response = await request(app).get('/health/live').set('X-Request-Id', requestId);

    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('accepts an id of exactly 128 characters', async () => {
    const { app } = buildTestApp();
    const requestId = 'a'.repeat(128);

    const response = await request(app).get('/health/live').set('X-Request-Id', requestId);

    expect(response.headers['x-request-id']).toBe(requestId);
  });

  it('makes the request id the correlation id of the events a use case publishes', async () => {
    const publisher = new ContextCapturingEventPublisher();
    const { app } = buildTestApp({ publisher });

    await request(app)
      .post('/users')
      .set('X-Request-Id', 'trace-42')
      .send(RegisterUserCommandMother.create())
      .expect(201);

    expect(publisher.contexts).toEqual([{ correlationId: 'trace-42', tenantId: 'default' }]);
  });

  it('uses the generated id as correlation id when the caller sent none', async () => {
    const publisher = new ContextCapturingEventPublisher();
    const { app } = buildTestApp({ publisher });

    const response = await request(app).post('/users').send(RegisterUserCommandMother.create()).expect(201);

    expect(publisher.contexts).toEqual([
      { correlationId: response.headers['x-request-id'] as string, tenantId: 'default' },
    ]);
  });

  // supertest sends the body with the headers, so it is buffered before the JSON parser runs; a body
  // that arrives later comes through socket callbacks that must not lose the request's context.
  it('keeps the correlation id when the body arrives after the headers', async () => {
    const publisher = new ContextCapturingEventPublisher();
    const { app } = buildTestApp({ publisher });
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;

      const status = await postInTwoParts(
        port,
        '/users',
        'slow-1',
        JSON.stringify(RegisterUserCommandMother.create()),
      );

      expect(status).toBe(201);
      expect(publisher.contexts).toEqual([{ correlationId: 'slow-1', tenantId: 'default' }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps concurrent requests apart', async () => {
    const publisher = new ContextCapturingEventPublisher();
    const { app } = buildTestApp({ publisher });

    await Promise.all(
      ['one', 'two', 'three'].map((id) =>
        request(app)
          .post('/users')
          .set('X-Request-Id', id)
          .send(RegisterUserCommandMother.create())
          .expect(201),
      ),
    );

    expect(publisher.contexts.map((context) => context?.correlationId).sort()).toEqual([
      'one',
      'three',
      'two',
    ]);
  });

  it('logs one line per request with the request id, method, url, status and duration', async () => {
    const { logger, lines } = capturingLogger();
    const { app } = buildTestApp({ logger });

    await request(app).get('/users/unknown?x=1').set('X-Request-Id', 'log-me');

    expect(lines).toEqual([
      // A client error is logged once at warn, without a stack, then the request line.
      expect.objectContaining({ level: 40, requestId: 'log-me', status: 404, msg: 'request rejected' }),
      expect.objectContaining({
        level: 30,
        requestId: 'log-me',
        method: 'GET',
        url: '/users/unknown?x=1',
        status: 404,
        durationMs: expect.any(Number) as number,
        msg: 'request completed',
      }),
    ]);
  });
});

/** Sends the headers, waits, then sends the body. */
function postInTwoParts(port: number, path: string, requestId: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'X-Request-Id': requestId,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.end(body), 30);
  });
}
