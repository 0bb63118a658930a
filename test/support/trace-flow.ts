import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { type Service } from '../../src/infrastructure/di/service';
import { startTracing, type Tracing } from '../../src/infrastructure/tracing/tracing';
import { waitFor } from './wait-for';

const TOPIC = 'users.events';

/** Tracing as the service starts it, every new trace sampled, spans kept in memory for the test. */
export function startRecordedTracing(sampleRate = 1): { tracing: Tracing; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing(
    { enabled: true, sampleRate },
    { serviceName: 'trace-test', spanProcessors: [new SimpleSpanProcessor(exporter)] },
  );
  return { tracing, exporter };
}

/** A W3C traceparent of a caller's span, as a client that traces would send it. */
export function callerTraceparent(sampled: boolean): { header: string; traceId: string; spanId: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`, traceId, spanId };
}

function spansOf(exporter: InMemorySpanExporter, traceId: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
}

function parentOf(span: ReadableSpan | undefined): string | undefined {
  return span?.parentSpanContext?.spanId;
}

async function register(service: Service, traceparent: string, email: string): Promise<request.Response> {
  return request(service.app)
    .post('/users')
    .set('traceparent', traceparent)
    .send({ email, name: 'Traced Person' })
    .expect(201);
}

/**
 * `POST /users` with a sampled caller span: one trace from the HTTP server span through the use case,
 * the outbox and the relay's PRODUCER span to the subscriber's CONSUMER span, each the parent of the
 * next, and the response names the server span in its `traceparent`.
 */
export async function expectOneTraceToTheSubscriber(
  service: Service,
  exporter: InMemorySpanExporter,
  expected: { system: string; email: string; timeoutMs: number },
): Promise<void> {
  const caller = callerTraceparent(true);
  const response = await register(service, caller.header, expected.email);
  const userId = (response.body as { id: string }).id;

  // A span is recorded when it ends, and the PRODUCER span ends on the broker's ack, which may come
  // after the subscriber has handled the message: wait for both.
  const ended = (kind: SpanKind): boolean =>
    spansOf(exporter, caller.traceId).some((span) => span.kind === kind);
  await waitFor(() => ended(SpanKind.PRODUCER) && ended(SpanKind.CONSUMER), {
    timeout: expected.timeoutMs,
    message: () =>
      `no producer and consumer span in trace ${caller.traceId}; spans: ${spansOf(exporter, caller.traceId)
        .map((span) => span.name)
        .join(', ')}`,
  });
  const spans = spansOf(exporter, caller.traceId);
  const server = spans.find((span) => span.kind === SpanKind.SERVER);
  const useCase = spans.find((span) => span.name === 'RegisterUserUseCase');
  const producer = spans.find((span) => span.kind === SpanKind.PRODUCER);
  const consumer = spans.find((span) => span.kind === SpanKind.CONSUMER);

  expect(server?.name).toBe('POST /users');
  expect(server?.attributes['http.route']).toBe('/users');
  expect(server?.attributes['http.response.status_code']).toBe(201);
  expect(parentOf(server)).toBe(caller.spanId);
  expect(response.headers.traceparent).toBe(`00-${caller.traceId}-${server!.spanContext().spanId}-01`);
  expect(parentOf(useCase)).toBe(server!.spanContext().spanId);
  // Captured when the event was written to the outbox, not the relay's own (absent) context.
  expect(parentOf(producer)).toBe(useCase!.spanContext().spanId);
  expect(producer?.name).toBe(`send ${TOPIC}`);
  expect(producer?.attributes).toMatchObject({
    'messaging.system': expected.system,
    'messaging.destination.name': TOPIC,
    'messaging.operation.type': 'send',
  });
  expect(parentOf(consumer)).toBe(producer!.spanContext().spanId);
  expect(consumer?.name).toBe(`process ${TOPIC}`);
  expect(consumer?.attributes).toMatchObject({
    'messaging.system': expected.system,
    'messaging.destination.name': TOPIC,
    'messaging.operation.type': 'process',
    'messaging.message.id': producer!.attributes['messaging.message.id'],
  });
  if (expected.system === 'kafka') {
    expect(consumer!.attributes['messaging.destination.partition.id']).toMatch(/^\d+$/);
    expect(consumer!.attributes['messaging.kafka.offset']).toEqual(expect.any(Number));
  }
  expect(await welcomeNotifications(service, userId)).toBe(1);
}

/**
 * A caller that decided not to sample: nothing of its trace is recorded, and the decision travels on
 * (the response and the event's trace context carry the unsampled flag), so downstream services
 * do not record it either.
 */
export async function expectUnsampledCallerRecordsNothing(
  service: Service,
  exporter: InMemorySpanExporter,
  expected: { email: string; timeoutMs: number },
): Promise<void> {
  const caller = callerTraceparent(false);
  const response = await register(service, caller.header, expected.email);
  const userId = (response.body as { id: string }).id;
  await waitFor(async () => (await welcomeNotifications(service, userId)) === 1, {
    timeout: expected.timeoutMs,
    message: 'no welcome notification',
  });

  expect(response.headers.traceparent).toMatch(new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-00$`));
  const [row] = await service.database.query<{ headers: Record<string, string> }>(
    'SELECT headers FROM outbox WHERE aggregate_id = $1',
    [userId],
  );
  expect(row?.headers.traceparent).toMatch(new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-00$`));
  expect(spansOf(exporter, caller.traceId)).toEqual([]);
}

async function welcomeNotifications(service: Service, userId: string): Promise<number> {
  const response = await request(service.app).get('/notifications').query({ userId }).expect(200);
  return (response.body as { notifications: unknown[] }).notifications.length;
}
