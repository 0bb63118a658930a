import request from 'supertest';
import { startTestService } from '../../support/test-service';

jest.setTimeout(30_000);

describe('the service while it shuts down', () => {
  it('turns unready at once and refuses new requests with 503 and Connection: close', async () => {
    const service = await startTestService();
    await service.listen(0);
    await request(service.app).get('/health/ready').expect(200);

    const stopping = service.stop();
    const ready = await request(service.app).get('/health/ready');
    const write = await request(service.app).post('/users').send({ email: 'late@example.com', name: 'Late' });
    await stopping;

    expect(ready.status).toBe(503);
    expect((ready.body as { error: string }).error).toMatch(/^not ready: .*\bshutdown\b/);
    expect(write.status).toBe(503);
    expect(write.headers.connection).toBe('close');
    expect(write.headers['retry-after']).toBe('1');
    expect(write.body).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
  });
});
