import request from 'supertest';
import { UserId } from '../../../../../src/domain/users/user-id.value-object';
import type { ProblemDetails } from '../../../../../src/interfaces/http/errors/problem-details';
import { FakeEventPublisher } from '../../../../support/fakes/fake-event-publisher';
import { RegisterUserCommandMother } from '../../../../support/mothers/users/register-user-command.mother';
import { buildTestApp, FailingEventPublisher, type TestApp } from '../http-app.fixture';

const PROBLEM_JSON = /^application\/problem\+json/;
const anyString = expect.any(String) as string;

/** The problem+json reply to a request on /users: any detail and request id unless given. */
function problem(
  fields: Pick<ProblemDetails, 'status' | 'title' | 'code'> & Partial<ProblemDetails>,
): ProblemDetails {
  return { type: 'about:blank', detail: anyString, instance: '/users', requestId: anyString, ...fields };
}

describe('users routes', () => {
  let testApp: TestApp;

  beforeEach(() => {
    testApp = buildTestApp();
  });

  describe('POST /users', () => {
    it('registers the user: 201 with its id and a Location header', async () => {
      const command = RegisterUserCommandMother.create();

      const response = await request(testApp.app).post('/users').send(command);

      expect(response.status).toBe(201);
      const { id } = response.body as { id: string };
      expect(UserId.isValid(id)).toBe(true);
      expect(response.headers.location).toBe(`/users/${id}`);
      expect(testApp.users.savedUsers).toEqual([expect.objectContaining({ id, email: command.email })]);
      expect((testApp.publisher as FakeEventPublisher).publishedEvents).toHaveLength(1);
    });

    it('accepts a JSON media type with a suffix and a charset', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .set('Content-Type', 'application/vnd.api+json; charset=utf-8')
        .send(JSON.stringify(RegisterUserCommandMother.create()));

      expect(response.status).toBe(201);
    });

    it('400 with a field error when email is missing', async () => {
      const response = await request(testApp.app).post('/users').send({ name: 'Ada Lovelace' });

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      const body = response.body as ProblemDetails;
      expect(body.code).toBe('VALIDATION_FAILED');
      expect(body.detail).toEqual(expect.any(String));
      expect(body.errors).toEqual([
        { field: 'email', messages: expect.arrayContaining([expect.any(String)]) as string[] },
      ]);
      expect(testApp.users.savedUsers).toEqual([]);
    });

    it('400 naming every bad field when types are wrong', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .send({ email: 42, name: ['Ada'] });

      expect(response.status).toBe(400);
      const fields = (response.body as ProblemDetails).errors!.map((detail) => detail.field);
      expect(fields.sort()).toEqual(['email', 'name']);
    });

    it('400 for an unknown property', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .send({ ...RegisterUserCommandMother.create(), isAdmin: true });

      expect(response.status).toBe(400);
      expect((response.body as ProblemDetails).errors).toEqual([
        { field: 'isAdmin', messages: ['property isAdmin should not exist'] },
      ]);
    });

    it('400 with field details for a JSON array body', async () => {
      const response = await request(testApp.app).post('/users').send([RegisterUserCommandMother.create()]);

      expect(response.status).toBe(400);
      expect(response.body).toEqual(
        problem({
          status: 400,
          title: 'Bad Request',
          code: 'VALIDATION_FAILED',
          detail: 'Request body must be a JSON object',
          errors: [{ field: '(body)', messages: ['must be a JSON object'] }],
        }),
      );
    });

    it('400 listing at most 20 field errors, however many fields are bad', async () => {
      const body = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`unknown${n}`, n]));

      const response = await request(testApp.app).post('/users').send(body);

      expect(response.status).toBe(400);
      expect((response.body as ProblemDetails).code).toBe('VALIDATION_FAILED');
      expect((response.body as ProblemDetails).errors).toHaveLength(20);
    });

    it.each([
      ['a JSON string', '"ada@example.com"'],
      ['a JSON number', '42'],
      ['JSON null', 'null'],
    ])('400 for %s as the body', async (_label, body) => {
      const response = await request(testApp.app)
        .post('/users')
        .set('Content-Type', 'application/json')
        .send(body);

      expect(response.status).toBe(400);
      expect((response.body as ProblemDetails).code).toBe('VALIDATION_FAILED');
    });

    it('400 for an empty JSON body', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .set('Content-Type', 'application/json')
        .send('');

      expect(response.status).toBe(400);
      expect((response.body as ProblemDetails).errors!.map((detail) => detail.field).sort()).toEqual([
        'email',
        'name',
      ]);
    });

    it('400 for a POST without any body', async () => {
      const response = await request(testApp.app).post('/users');

      expect(response.status).toBe(400);
      expect((response.body as ProblemDetails).code).toBe('VALIDATION_FAILED');
    });

    it('does not let __proto__ in the body change the DTO', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .set('Content-Type', 'application/json')
        .send('{"__proto__":{"email":"ada@example.com","name":"Ada"}}');

      expect(response.status).toBe(400);
      expect(testApp.users.savedUsers).toEqual([]);
    });

    // The DTO's IsEmail accepts internationalised addresses; the domain's Email does not. This is the
    // path on which the domain, not the DTO, has the last word.
    it('422 with the domain error code when the domain rejects an email the DTO let through', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .send({ email: 'josé@example.com', name: 'José' });

      expect(response.status).toBe(422);
      expect(response.body).toEqual(
        problem({ status: 422, title: 'Unprocessable Entity', code: 'USER_INVALID_EMAIL' }),
      );
      expect(testApp.users.savedUsers).toEqual([]);
    });

    it('422 when the name is only whitespace (the domain trims it to nothing)', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .send(RegisterUserCommandMother.create({ name: '   ' }));

      expect(response.status).toBe(422);
      expect((response.body as ProblemDetails).code).toBe('USER_INVALID_NAME');
    });

    it('409 for an email that is already registered, ignoring case', async () => {
      const command = RegisterUserCommandMother.create();
      await request(testApp.app).post('/users').send(command).expect(201);

      const response = await request(testApp.app)
        .post('/users')
        .send({ ...command, email: command.email.toUpperCase() });

      expect(response.status).toBe(409);
      expect(response.body).toEqual(problem({ status: 409, title: 'Conflict', code: 'USER_ALREADY_EXISTS' }));
      expect(testApp.users.savedUsers).toHaveLength(1);
    });

    it('413 when the body is over the limit', async () => {
      testApp = buildTestApp({ bodyLimit: '1kb' });

      const response = await request(testApp.app)
        .post('/users')
        .send(RegisterUserCommandMother.create({ name: 'x'.repeat(2048) }));

      expect(response.status).toBe(413);
      expect(response.body).toEqual(
        problem({ status: 413, title: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE' }),
      );
    });

    it('415 for a text/plain body', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(RegisterUserCommandMother.create()));

      expect(response.status).toBe(415);
      expect(response.body).toEqual(
        problem({ status: 415, title: 'Unsupported Media Type', code: 'UNSUPPORTED_MEDIA_TYPE' }),
      );
    });

    it('415 for a form-encoded body', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .type('form')
        .send({ email: 'a@example.com' });

      expect(response.status).toBe(415);
    });

    it('415 for an unsupported charset', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .set('Content-Type', 'application/json; charset=koi8-r')
        .send('{}');

      expect(response.status).toBe(415);
      expect((response.body as ProblemDetails).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('400 MALFORMED_JSON for broken JSON, without quoting the body back', async () => {
      const response = await request(testApp.app)
        .post('/users')
        .set('Content-Type', 'application/json')
        .send('{"email": "ada@example.com", <script>');

      expect(response.status).toBe(400);
      expect(response.body).toEqual(
        problem({
          status: 400,
          title: 'Bad Request',
          code: 'MALFORMED_JSON',
          detail: 'Request body is not valid JSON',
        }),
      );
    });

    it('500 without the internal message when the use case fails unexpectedly', async () => {
      testApp = buildTestApp({ publisher: new FailingEventPublisher() });

      const response = await request(testApp.app).post('/users').send(RegisterUserCommandMother.create());

      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual(
        problem({
          status: 500,
          title: 'Internal Server Error',
          code: 'INTERNAL_ERROR',
          detail: 'Internal server error',
        }),
      );
      expect(response.text).not.toContain('hunter2');
      expect(response.text).not.toContain('at ');
    });
  });

  describe('GET /users/:id', () => {
    it('200 with the user view', async () => {
      const command = RegisterUserCommandMother.create();
      const created = await request(testApp.app).post('/users').send(command).expect(201);
      const { id } = created.body as { id: string };

      const response = await request(testApp.app).get(`/users/${id}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id,
        email: command.email,
        name: command.name,
        registeredAt: expect.any(String) as string,
      });
    });

    it('404 USER_NOT_FOUND for an unknown id', async () => {
      const id = '8a1c7a52-4f0e-4c1e-9b59-3c1d2f7b9e10';

      const response = await request(testApp.app).get(`/users/${id}`);

      expect(response.status).toBe(404);
      expect(response.body).toEqual(
        problem({ status: 404, title: 'Not Found', code: 'USER_NOT_FOUND', instance: `/users/${id}` }),
      );
    });

    it('404 for an id that is not even a UUID', async () => {
      const response = await request(testApp.app).get('/users/not-a-uuid');

      expect(response.status).toBe(404);
      expect((response.body as ProblemDetails).code).toBe('USER_NOT_FOUND');
    });
  });

  describe('PATCH /users/:id', () => {
    async function registered(): Promise<{ id: string; email: string; name: string }> {
      const command = RegisterUserCommandMother.create({ name: 'Ada Lovelace' });
      const created = await request(testApp.app).post('/users').send(command).expect(201);
      return { ...command, id: (created.body as { id: string }).id };
    }

    it('200 with the renamed user, and the change is stored', async () => {
      const user = await registered();

      const response = await request(testApp.app).patch(`/users/${user.id}`).send({ name: 'Ada King' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: user.id,
        email: user.email,
        name: 'Ada King',
        registeredAt: anyString,
      });
      const read = await request(testApp.app).get(`/users/${user.id}`).expect(200);
      expect((read.body as { name: string }).name).toBe('Ada King');
    });

    it('400 with a field error when name is missing or not a string', async () => {
      const user = await registered();

      const response = await request(testApp.app).patch(`/users/${user.id}`).send({ name: 42 });

      expect(response.status).toBe(400);
      expect((response.body as ProblemDetails).errors?.map((error) => error.field)).toEqual(['name']);
    });

    it('400 for a field that cannot be changed here', async () => {
      const user = await registered();

      const response = await request(testApp.app)
        .patch(`/users/${user.id}`)
        .send({ name: 'Ada King', email: 'other@example.com' });

      expect(response.status).toBe(400);
    });

    it('404 USER_NOT_FOUND for an unknown id', async () => {
      const response = await request(testApp.app)
        .patch('/users/8a1c7a52-4f0e-4c1e-9b59-3c1d2f7b9e10')
        .send({ name: 'Ada King' });

      expect(response.status).toBe(404);
      expect((response.body as ProblemDetails).code).toBe('USER_NOT_FOUND');
    });

    it('415 for a body that is not JSON', async () => {
      const user = await registered();

      const response = await request(testApp.app)
        .patch(`/users/${user.id}`)
        .set('Content-Type', 'text/plain')
        .send('Ada King');

      expect(response.status).toBe(415);
    });

    it('405 naming GET and PATCH for another method', async () => {
      const user = await registered();

      const response = await request(testApp.app).delete(`/users/${user.id}`);

      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, PATCH, HEAD');
    });
  });
});
