import { PassThrough, Writable } from 'node:stream';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { loadAppConfig } from '../../../../src/infrastructure/config/load-app-config';
import { createLogger } from '../../../../src/infrastructure/logging/create-logger';
import { startTracing, type Tracing } from '../../../../src/infrastructure/tracing/tracing';
import { waitFor } from '../../../support/wait-for';

/** The lines a logger wrote, parsed. */
function capture(traceIds: boolean): {
  logger: ReturnType<typeof createLogger>;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(service(), { traceIds, destination, pretty: false }), lines };
}

function service() {
  return { ...loadAppConfig({ file: 'config/default.yaml' }).service, logLevel: 'info' as const };
}

describe('createLogger', () => {
  let tracing: Tracing;

  beforeEach(() => {
    tracing = startTracing({ enabled: true, sampleRate: 1 }, { serviceName: 'log-test' });
  });
  afterEach(() => tracing.shutdown());

  it('writes trace_id and span_id on lines logged inside a span, and none outside', () => {
    const { logger, lines } = capture(true);
    const tracer = tracing.tracer('test')!;

    tracer.startActiveSpan('work', {}, ROOT_CONTEXT, (span) => {
      logger.info('inside');
      span.end();
    });
    logger.info('outside');

    const span = lines[0]!;
    expect(span.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(span.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('adds nothing when tracing is off', () => {
    const { logger, lines } = capture(false);
    tracing.tracer('test')!.startActiveSpan('work', {}, ROOT_CONTEXT, (span) => {
      logger.info('inside');
      span.end();
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('writes readable lines instead of JSON when asked (as on a terminal)', async () => {
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const logger = createLogger(service(), { destination: output, pretty: true });

    logger.info({ userId: 'u-1' }, 'user registered');

    await waitFor(() => text.includes('user registered'));
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO \(user-service\): user registered/);
    expect(text).toContain('userId: "u-1"');
    expect(() => JSON.parse(text) as unknown).toThrow();
  });
});
