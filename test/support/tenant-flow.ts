import type { Express } from 'express';
import request from 'supertest';
import { waitFor } from './wait-for';

/**
 * Two tenants register the same email through HTTP; each welcome notification is recorded by the
 * subscriber in its own tenant (the tenant crossed the outbox and the bus), and neither tenant can
 * read the other's user or notifications. Needs a service with tenancy `optional` or `required`.
 */
export async function expectTenantsKeptApart(app: Express, deliveryTimeoutMs: number): Promise<void> {
  const email = `tenant-${Date.now()}-${process.pid}@example.com`;
  const register = async (tenant: string): Promise<string> => {
    const response = await request(app)
      .post('/users')
      .set('X-Tenant-ID', tenant)
      .send({ email, name: `Person of ${tenant}` })
      .expect(201);
    return (response.body as { id: string }).id;
  };
  const notifications = async (tenant: string, userId: string): Promise<{ recipient: string }[]> => {
    const response = await request(app)
      .get('/notifications')
      .set('X-Tenant-ID', tenant)
      .query({ userId })
      .expect(200);
    return (response.body as { notifications: { recipient: string }[] }).notifications;
  };

  const acme = await register('acme');
  const globex = await register('globex');

  await waitFor(async () => (await notifications('acme', acme)).length === 1, {
    timeout: deliveryTimeoutMs,
    message: 'no welcome notification for acme',
  });
  await waitFor(async () => (await notifications('globex', globex)).length === 1, {
    timeout: deliveryTimeoutMs,
    message: 'no welcome notification for globex',
  });
  expect(await notifications('globex', acme)).toEqual([]);
  expect(await notifications('acme', globex)).toEqual([]);
  await request(app).get(`/users/${acme}`).set('X-Tenant-ID', 'acme').expect(200);
  await request(app).get(`/users/${acme}`).set('X-Tenant-ID', 'globex').expect(404);
}
