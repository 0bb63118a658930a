import { ROOT_CONTEXT } from '@opentelemetry/api';
import { loadAppConfig } from '../../../../src/infrastructure/config/load-app-config';
import { createLogger } from '../../../../src/infrastructure/logging/create-logger';
import { startTracing, type Tracing } from '../../../../src/infrastructure/tracing/tracing';

/** The lines a logger wrote, parsed. */
function capture(traceIds: boolean): {
  logger: ReturnType<typeof createLogger>;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const destination = {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  };
  const service = { ...loadAppConfig({ file: 'config/default.yaml' }).service, logLevel: 'info' as const };
  return { logger: createLogger(service, { traceIds, destination }), lines };
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
});
