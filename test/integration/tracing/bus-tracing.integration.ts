import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  createEventBus,
  getDefaultMemoryConfig,
  HealthCheckTopic,
  MemoryEventBus,
  TRACER_NAME,
  type EventBus,
} from '../../../src/infrastructure/eventbus';
import { startTracing, type Tracing } from '../../../src/infrastructure/tracing/tracing';
import { startRecordedTracing } from '../../support/trace-flow';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(30_000);

async function tracedMemoryBus(tracing: Tracing, enabled = true): Promise<EventBus> {
  const config = getDefaultMemoryConfig();
  config.tracing = { enabled, sampleRate: 1 };
  config.retry = { maxAttempts: 3, initialBackoff: 1, maxBackoff: 5, multiplier: 2 };
  return createEventBus(config, { tracer: tracing.tracer(TRACER_NAME) });
}

describe('bus spans (memory bus; the code is the same for every backend)', () => {
  let tracing: Tracing;
  let exporter: InMemorySpanExporter;
  let bus: EventBus;

  beforeEach(async () => {
    ({ tracing, exporter } = startRecordedTracing());
    bus = await tracedMemoryBus(tracing);
  });

  afterEach(async () => {
    await bus.close();
    await tracing.shutdown();
  });

  const spansOfKind = (kind: SpanKind) => exporter.getFinishedSpans().filter((span) => span.kind === kind);

  it('records each retry as an event of one consumer span, which ends handled', async () => {
    let calls = 0;
    await bus.subscribe(
      'orders',
      () => (++calls < 3 ? Promise.reject(new Error(`try ${calls}`)) : Promise.resolve()),
      {
        group: 'g',
      },
    );
    await bus.publish('orders', 'x', { messageId: 'm-1', key: 'k' });

    await waitFor(() => spansOfKind(SpanKind.CONSUMER).length === 1);
    const [consumer] = spansOfKind(SpanKind.CONSUMER);
    expect(consumer!.events.map((event) => [event.name, event.attributes?.['messaging.attempt']])).toEqual([
      ['retry', 1],
      ['retry', 2],
    ]);
    expect(consumer!.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(consumer!.attributes).toMatchObject({
      'messaging.message.id': 'm-1',
      'messaging.consumer.group.name': 'g',
    });
  });

  it('marks a dead-lettered delivery as an error with a dead_letter event naming the topic', async () => {
    await bus.subscribe('orders', () => Promise.reject(new Error('poison')), { group: 'g' });
    await bus.publish('orders', 'x');

    await waitFor(() => spansOfKind(SpanKind.CONSUMER).length === 1);
    const [consumer] = spansOfKind(SpanKind.CONSUMER);
    expect(consumer!.events.map((event) => event.name)).toEqual([
      'retry',
      'retry',
      'dead_letter',
      'exception',
    ]);
    expect(consumer!.events[2]!.attributes?.['messaging.destination.name']).toBe('orders.dlq');
    expect(consumer!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'Error: poison' });
  });

  it('marks a refused publish as an error on its producer span', async () => {
    await expect(bus.publish('', 'x')).rejects.toThrow();
    const [producer] = spansOfKind(SpanKind.PRODUCER);
    expect(producer?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("does not trace the health checker's own messages", async () => {
    let handled = 0;
    await bus.subscribe(HealthCheckTopic, () => Promise.resolve(void handled++), { group: 'health' });
    await bus.publish(HealthCheckTopic, 'ping');
    await waitFor(() => handled === 1);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('leaves the backend undecorated when tracing is off', async () => {
    const plain = await tracedMemoryBus(tracing, false);
    try {
      expect(plain).toBeInstanceOf(MemoryEventBus);
      await plain.publish('orders', 'x');
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe('OTLP/HTTP export', () => {
  let receiver: Server;
  const bodies: string[] = [];
  const paths: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        paths.push(req.url ?? '');
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('sends spans to the receiver named by OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const address = receiver.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
    let tracing: Tracing;
    try {
      tracing = startTracing({ enabled: true, sampleRate: 1 }, { serviceName: 'otlp-test' });
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    }
    tracing.tracer('test')!.startSpan('exported-span').end();
    await tracing.shutdown();

    expect(paths).toContain('/v1/traces');
    const body = bodies.join('\n');
    expect(body).toContain('exported-span');
    expect(body).toContain('otlp-test');
  });
});
