import request from 'supertest';
import {
  fromBodyParserError,
  HttpError,
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../../../../src/interfaces/http/errors/http-errors';
import { RegisterUserCommandMother } from '../../../../support/mothers/users/register-user-command.mother';
import {
  buildTestApp,
  capturingLogger,
  FailingEventPublisher,
  UnavailableUnitOfWork,
} from '../http-app.fixture';

describe('error handling', () => {
  it('404 NOT_FOUND as JSON for an unknown route', async () => {
    const { app } = buildTestApp();

    const response = await request(app).get('/no/such/route');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ error: 'NOT_FOUND', message: 'No route for GET /no/such/route' });
  });

  it('404 for a known path with a method it does not serve', async () => {
    const { app } = buildTestApp();

    const response = await request(app).delete('/users');

    expect(response.status).toBe(404);
    expect((response.body as { error: string }).error).toBe('NOT_FOUND');
  });

  it('500 hides the error from the client and logs it with the request id', async () => {
    const { logger, lines } = capturingLogger();
    const { app } = buildTestApp({ logger, publisher: new FailingEventPublisher() });

    const response = await request(app)
      .post('/users')
      .set('X-Request-Id', 'boom-1')
      .send(RegisterUserCommandMother.create());

    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(response.text).not.toContain(FailingEventPublisher.SECRET_MESSAGE);
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

      const response = await request(app).post('/users').send(RegisterUserCommandMother.create());

      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        error: 'DEPENDENCY_UNAVAILABLE',
        message: 'The database is unavailable; try again later',
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
