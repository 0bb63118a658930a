import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '../../../../src/infrastructure/tracing/tracing';

describe('startTracing', () => {
  let tracing: Tracing | undefined;
  let exporter: InMemorySpanExporter;

  const start = (enabled: boolean, sampleRate: number): Tracing => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing(
      { enabled, sampleRate },
      { serviceName: 'sampling-test', spanProcessors: [new SimpleSpanProcessor(exporter)] },
    );
    return tracing;
  };

  const rootSpans = (t: Tracing, count: number): number => {
    const tracer = t.tracer('test')!;
    for (let i = 0; i < count; i++) tracer.startSpan('root', {}, ROOT_CONTEXT).end();
    return exporter.getFinishedSpans().length;
  };

  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });

  it('samples about sampleRate of new traces: 0.5 over 2,000 roots lands within 4.5 sigma', () => {
    // Binomial(2000, 0.5): mean 1000, sigma 22.4. A wrong rate (0.4 or 0.6) is 200 away.
    const sampled = rootSpans(start(true, 0.5), 2_000);
    expect(sampled).toBeGreaterThanOrEqual(900);
    expect(sampled).toBeLessThanOrEqual(1_100);
  });

  it('samples no new trace at sampleRate 0, yet keeps a sampled caller decision (parent-based)', () => {
    const t = start(true, 0);
    expect(rootSpans(t, 200)).toBe(0);

    const caller = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    t.tracer('test')!.startSpan('child', {}, caller).end();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['child']);
  });

  it('registers nothing when off: no tracer for the instrumented code, no provider behind the API', () => {
    const t = start(false, 1);

    expect(t.enabled).toBe(false);
    expect(t.tracer('test')).toBeUndefined();
    expect(trace.getTracer('test').startSpan('x').isRecording()).toBe(false);
  });

  it('honours OTEL_SDK_DISABLED=true over the config', () => {
    process.env.OTEL_SDK_DISABLED = 'true';
    try {
      expect(start(true, 1).enabled).toBe(false);
    } finally {
      delete process.env.OTEL_SDK_DISABLED;
    }
  });

  it('is the global provider while it runs, so code it does not own records too', () => {
    start(true, 1);
    trace.getTracer('someone-else').startSpan('theirs').end();
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['theirs']);
  });
});
