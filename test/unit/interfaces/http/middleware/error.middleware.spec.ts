import request from 'supertest';
import {
  fromBodyParserError,
  HttpError,
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../../../../src/interfaces/http/errors/http-errors';
import type { ProblemDetails } from '../../../../../src/interfaces/http/errors/problem-details';
import { RegisterUserCommandMother } from '../../../../support/mothers/users/register-user-command.mother';
import {
  buildTestApp,
  capturingLogger,
  FailingEventPublisher,
  UnavailableUnitOfWork,
} from '../http-app.fixture';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('error handling', () => {
  it('404 NOT_FOUND as problem+json for an unknown route', async () => {
    const { app } = buildTestApp();

    const response = await request(app).get('/no/such/route').set('X-Request-Id', 'lost-1');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No route for GET /no/such/route',
      instance: '/no/such/route',
      code: 'NOT_FOUND',
      requestId: 'lost-1',
    });
  });

  // Was a 404 NOT_FOUND before routes answered for the methods they do not serve.
  it('405 METHOD_NOT_ALLOWED with Allow for a known path with a method it does not serve', async () => {
    const { app } = buildTestApp();

    const response = await request(app).delete('/users');

    expect(response.status).toBe(405);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.headers.allow).toBe('POST');
    expect(response.body).toMatchObject({
      status: 405,
      title: 'Method Not Allowed',
      code: 'METHOD_NOT_ALLOWED',
      instance: '/users',
    });
  });

  describe('instance and requestId', () => {
    it('are the request path and the X-Request-Id the caller sent', async () => {
      const { app } = buildTestApp();
      const path = '/users/8a1c7a52-4f0e-4c1e-9b59-3c1d2f7b9e10';

      const response = await request(app).get(path).query({ ignored: 'yes' }).set('X-Request-Id', 'req-9');

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'USER_NOT_FOUND', instance: path, requestId: 'req-9' });
    });

    it('carry the request id the service made up when the caller sent none', async () => {
      const { app } = buildTestApp();

      const response = await request(app).get('/no/such/route');

      const requestId = response.headers['x-request-id'];
      expect(requestId).toEqual(expect.any(String));
      expect((response.body as ProblemDetails).requestId).toBe(requestId);
    });
  });

  it('a 4xx is logged once at warn, without a stack, before the request completes', async () => {
    const { logger, lines } = capturingLogger();
    const { app } = buildTestApp({ logger });

    await request(app)
      .post('/users')
      .set('X-Request-Id', 'bad-1')
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);

    const warnings = lines.filter((line) => (line.level as number) >= 40);
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        requestId: 'bad-1',
        msg: 'request rejected',
        status: 400,
        code: 'MALFORMED_JSON',
        detail: 'Request body is not valid JSON',
      }),
    ]);
    expect(warnings[0]).not.toHaveProperty('err');
    expect(JSON.stringify(warnings[0])).not.toMatch(/\bat .+:\d+:\d+/);
    const messages = lines.map((line) => line.msg);
    expect(messages.indexOf('request rejected')).toBeLessThan(messages.indexOf('request completed'));
  });

  it('500 hides the error from the client and logs it with the request id', async () => {
    const { logger, lines } = capturingLogger();
    const { app } = buildTestApp({ logger, publisher: new FailingEventPublisher() });

    const response = await request(app)
      .post('/users')
      .set('X-Request-Id', 'boom-1')
      .send(RegisterUserCommandMother.create());

    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Internal server error',
      instance: '/users',
      code: 'INTERNAL_ERROR',
      requestId: 'boom-1',
    });
    expect(response.text).not.toContain(FailingEventPublisher.SECRET_MESSAGE);
    expect(response.text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        requestId: 'boom-1',
        msg: 'request failed',
        err: expect.objectContaining({ message: FailingEventPublisher.SECRET_MESSAGE }) as object,
      }),
    );
  });

  describe('a dependency that cannot be reached', () => {
    it('503 DEPENDENCY_UNAVAILABLE with Retry-After, naming the dependency but not the cause', async () => {
      const { app, users } = buildTestApp({ unitOfWork: new UnavailableUnitOfWork() });

      const response = await request(app)
        .post('/users')
        .set('X-Request-Id', 'outage-0')
        .send(RegisterUserCommandMother.create());

      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is unavailable; try again later',
        instance: '/users',
        code: 'DEPENDENCY_UNAVAILABLE',
        requestId: 'outage-0',
      });
      expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(users.savedUsers).toEqual([]);
    });

    it('never leaks the underlying message (it may hold a connection string)', async () => {
      const { app } = buildTestApp({ unitOfWork: new UnavailableUnitOfWork() });

      const response = await request(app).post('/users').send(RegisterUserCommandMother.create());

      expect(response.status).toBe(503);
      for (const secret of [UnavailableUnitOfWork.SECRET_MESSAGE, 'hunter2', 'postgres://', 'ECONNREFUSED']) {
        expect(response.text).not.toContain(secret);
        expect(JSON.stringify(response.headers)).not.toContain(secret);
      }
    });

    it('is logged once at warn with the request id and without a stack', async () => {
      const { logger, lines } = capturingLogger();
      const { app } = buildTestApp({ logger, unitOfWork: new UnavailableUnitOfWork() });

      await request(app)
        .post('/users')
        .set('X-Request-Id', 'outage-1')
        .send(RegisterUserCommandMother.create())
        .expect(503);

      const failures = lines.filter((line) => (line.level as number) >= 40);
      expect(failures).toEqual([
        expect.objectContaining({
          level: 40,
          requestId: 'outage-1',
          msg: 'request failed: dependency unavailable',
        }),
      ]);
      expect(failures[0]).not.toHaveProperty('err');
      expect(JSON.stringify(failures[0])).not.toMatch(/\bat .+:\d+:\d+/);
    });
  });

  it('does not expose x-powered-by', async () => {
    const { app } = buildTestApp();

    const response = await request(app).get('/health/live');

    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  describe('fromBodyParserError', () => {
    it.each([
      ['entity.too.large', PayloadTooLargeError],
      ['entity.parse.failed', MalformedJsonError],
      ['charset.unsupported', UnsupportedMediaTypeError],
      ['encoding.unsupported', UnsupportedMediaTypeError],
    ])('maps %s', (type, expected) => {
      expect(fromBodyParserError(Object.assign(new Error('x'), { type }))).toBeInstanceOf(expected);
    });

    it('maps an aborted request to a 400', () => {
      const error = fromBodyParserError(Object.assign(new Error('x'), { type: 'request.aborted' }));

      expect(error).toBeInstanceOf(HttpError);
      expect(error?.status).toBe(400);
    });

    it.each([[new Error('plain')], [{ type: 'something.else' }], ['text'], [null]])(
      'leaves anything else alone: %p',
      (error) => {
        expect(fromBodyParserError(error)).toBeUndefined();
      },
    );
  });
});
