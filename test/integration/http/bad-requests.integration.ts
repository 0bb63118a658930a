import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { type Service } from '../../../src/infrastructure/di/service';
import { startTestService } from '../../support/test-service';

jest.setTimeout(30_000);

const PROBLEM = /^application\/problem\+json/;

/** Sends raw bytes and returns what the server answered before it closed the connection. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let reply = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

/** The JSON body of a raw HTTP reply. */
function problemOf(reply: string): Record<string, unknown> {
  return JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

describe('every bad request gets a 4xx problem+json reply from the running server', () => {
  let service: Service;
  let port: number;
  let url: string;

  beforeAll(async () => {
    service = await startTestService('config/default.yaml', (config) => {
      config.service.headersTimeout = 1_000;
      config.service.requestTimeout = 2_000;
    });
    port = await service.listen(0);
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(() => service.stop());

  const expectProblem = (response: request.Response, status: number, code: string): void => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ type: 'about:blank', status, code });
    expect(typeof (response.body as { detail: unknown }).detail).toBe('string');
    expect((response.body as { requestId: unknown }).requestId).toBe(response.headers['x-request-id']);
  };

  it('malformed JSON: 400 MALFORMED_JSON', async () => {
    const response = await request(url)
      .post('/users')
      .set('Content-Type', 'application/json')
      .send('{"email":');
    expectProblem(response, 400, 'MALFORMED_JSON');
  });

  it('a body that is not JSON: 415', async () => {
    const response = await request(url).post('/users').set('Content-Type', 'text/plain').send('hello');
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body over the limit: 413', async () => {
    const response = await request(url)
      .post('/users')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(200_000) }));
    expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('JSON nested 3,000 levels deep: 400 JSON_TOO_COMPLEX, not a stack overflow', async () => {
    const body = '{"a":'.repeat(3_000) + '1' + '}'.repeat(3_000);
    const response = await request(url).post('/users').set('Content-Type', 'application/json').send(body);
    expectProblem(response, 400, 'JSON_TOO_COMPLEX');
  });

  it('8,000 unknown keys: 400 JSON_TOO_COMPLEX before any validation work', async () => {
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: 8_000 }, (_, n) => [`k${n}`, 1])));
    const response = await request(url).post('/users').set('Content-Type', 'application/json').send(body);
    expectProblem(response, 400, 'JSON_TOO_COMPLEX');
    expect(JSON.stringify(response.body).length).toBeLessThan(1_000);
  });

  it('a validation failure lists at most 20 field problems', async () => {
    const body = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`unknown${n}`, n]));
    const response = await request(url).post('/users').send(body);
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect((response.body as { errors: unknown[] }).errors).toHaveLength(20);
  });

  it('a gzip Content-Encoding whose body is not gzip: 400, and a real gzip body works', async () => {
    const broken = await request(url)
      .post('/users')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"this is":"not gzip"}');
    expectProblem(broken, 400, 'BAD_REQUEST');

    // fetch sends the bytes as they are (supertest's agent would not leave a gzip body alone).
    const gzipped = await fetch(`${url}/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ email: `gzip-${Date.now()}@example.com`, name: 'Zipped' })),
    });
    expect(gzipped.status).toBe(201);
  });

  it('an unknown Content-Encoding: 415', async () => {
    const response = await request(url)
      .post('/users')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send('{}');
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a path with bad percent-encoding: 400', async () => {
    const response = await request(url).get('/users/%');
    expectProblem(response, 400, 'BAD_REQUEST');
  });

  it('an unknown route: 404 NOT_FOUND', async () => {
    const response = await request(url).get('/nowhere');
    expectProblem(response, 404, 'NOT_FOUND');
    expect((response.body as { instance: unknown }).instance).toBe('/nowhere');
  });

  it('a method the route does not serve: 405 with Allow', async () => {
    const response = await request(url).delete('/users');
    expectProblem(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.allow).toBe('POST');

    const onUser = await request(url).put('/users/some-id').send({});
    expectProblem(onUser, 405, 'METHOD_NOT_ALLOWED');
    expect(onUser.headers.allow).toBe('GET, PATCH, HEAD');
  });

  it('OPTIONS: 204 with Allow', async () => {
    const response = await request(url).options('/notifications');
    expect(response.status).toBe(204);
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('headers over Node’s limit: 431 problem+json', async () => {
    const reply = await rawExchange(
      port,
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    expect(reply).toMatch(/Content-Type: application\/problem\+json/);
    expect(problemOf(reply)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('bytes that are not HTTP: 400 problem+json', async () => {
    const reply = await rawExchange(port, 'HELLO THERE\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(problemOf(reply)).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });
  });

  it('headers that never finish: 408 within the headers timeout, not five minutes', async () => {
    const started = Date.now();
    const reply = await rawExchange(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
    expect(problemOf(reply)).toMatchObject({ status: 408, code: 'REQUEST_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('sends the security headers on every reply', async () => {
    for (const path of ['/health/live', '/nowhere']) {
      const response = await request(url).get(path);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
      });
    }
  });
});
