import request from 'supertest';
import { Registry } from 'prom-client';
import { buildTestApp, TEST_COUNTER_NAME } from '../http-app.fixture';

describe('GET /metrics', () => {
  it("200 with the registry's Prometheus text and content type", async () => {
    const { app } = buildTestApp();

    const response = await request(app).get('/metrics');

    expect(response.status).toBe(200);
    // express may reorder the parameters; the media type and its parameters must be the registry's.
    expect(mediaTypeParts(response.headers['content-type'] as string)).toEqual(
      mediaTypeParts(new Registry().contentType),
    );
    expect(response.text).toContain(`# TYPE ${TEST_COUNTER_NAME} counter`);
    expect(response.text).toContain(`${TEST_COUNTER_NAME} 1`);
  });
});

function mediaTypeParts(contentType: string): string[] {
  return contentType
    .split(';')
    .map((part) => part.trim().toLowerCase())
    .sort();
}
