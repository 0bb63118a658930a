import request from 'supertest';
import type { ProblemDetails } from '../../../../../src/interfaces/http/errors/problem-details';
import { RegisterUserCommandMother } from '../../../../support/mothers/users/register-user-command.mother';
import { buildTestApp, ContextCapturingEventPublisher } from '../http-app.fixture';

describe('tenant middleware (X-Tenant-ID)', () => {
  const register = (tenancy: 'off' | 'optional' | 'required', tenant?: string) => {
    const publisher = new ContextCapturingEventPublisher();
    const { app } = buildTestApp({ publisher, tenancy });
    const call = request(app).post('/users').send(RegisterUserCommandMother.create());
    return { response: tenant === undefined ? call : call.set('X-Tenant-ID', tenant), publisher };
  };

  it('off: ignores the header; the work runs in the default tenant', async () => {
    const { response, publisher } = register('off', 'acme');
    await response.expect(201);
    expect(publisher.contexts[0]?.tenantId).toBe('default');
  });

  it('optional: runs the work in the named tenant, or the default one', async () => {
    const named = register('optional', 'acme');
    await named.response.expect(201);
    expect(named.publisher.contexts[0]?.tenantId).toBe('acme');

    const unnamed = register('optional');
    await unnamed.response.expect(201);
    expect(unnamed.publisher.contexts[0]?.tenantId).toBe('default');
  });

  it('required: a request without the header is a 400 and does nothing', async () => {
    const { response, publisher } = register('required');
    const answer = await response.expect(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'a tenant id is required (header X-Tenant-ID)',
      instance: '/users',
      code: 'INVALID_TENANT',
      requestId: expect.any(String) as string,
    });
    expect(publisher.contexts).toEqual([]);
  });

  it.each(['optional', 'required'] as const)(
    '%s: a malformed tenant id is a 400 naming the rule',
    async (mode) => {
      const { response, publisher } = register(mode, 'acme corp');
      const answer = await response.expect(400);
      expect((answer.body as ProblemDetails).code).toBe('INVALID_TENANT');
      expect((answer.body as ProblemDetails).detail).toBe(
        'invalid tenant id: a tenant id is 1 to 64 letters, digits, "-" or "_" (header X-Tenant-ID)',
      );
      expect(publisher.contexts).toEqual([]);
    },
  );

  it('keeps the request id as correlation id next to the tenant', async () => {
    const publisher = new ContextCapturingEventPublisher();
    const { app } = buildTestApp({ publisher, tenancy: 'required' });

    await request(app)
      .post('/users')
      .set('X-Request-Id', 'trace-7')
      .set('X-Tenant-ID', 'acme')
      .send(RegisterUserCommandMother.create())
      .expect(201);

    expect(publisher.contexts).toEqual([{ correlationId: 'trace-7', tenantId: 'acme' }]);
  });

  it('required: health and metrics need no tenant, the user and notification routes do', async () => {
    const { app } = buildTestApp({ tenancy: 'required' });

    await request(app).get('/health/live').expect(200);
    await request(app).get('/metrics').expect(200);
    await request(app).get('/users/3f1c9f0e-9a4b-4d0c-8a59-0f7d0b8b8f00').expect(400);
    await request(app).get('/notifications').query({ userId: 'x' }).expect(400);
  });
});
