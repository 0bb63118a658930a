import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type TracingConfig } from '../eventbus';

export interface TracingOptions {
  /** `service.name` unless `OTEL_SERVICE_NAME` says otherwise. */
  readonly serviceName: string;
  /** Extra processors (a test's in-memory exporter); OTLP is added when the environment names an endpoint. */
  readonly spanProcessors?: readonly SpanProcessor[];
}

/** The service's OpenTelemetry SDK, or nothing at all when tracing is off. */
export interface Tracing {
  readonly enabled: boolean;
  /** A tracer of this provider; undefined when tracing is off (instrumented code then does nothing). */
  tracer(name: string): Tracer | undefined;
  /** Exports what is buffered and stops; idempotent. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = {
  enabled: false,
  tracer: () => undefined,
  shutdown: () => Promise.resolve(),
};

/**
 * Starts tracing per `eventbus.tracing`: a parent-based sampler that keeps an incoming decision and
 * samples new traces at `sampleRate` (0: none, 1: all); W3C trace context propagation; spans exported
 * over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set. Off (or
 * `OTEL_SDK_DISABLED=true`) registers nothing, so the instrumented paths only test for a tracer.
 */
export function startTracing(config: TracingConfig, options: TracingOptions): Tracing {
  const env = process.env;
  if (!config.enabled || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return OFF;

  registerContextPropagation();
  const spanProcessors = [...(options.spanProcessors ?? [])];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim())
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME?.trim() || options.serviceName,
    }).merge(detectResources({ detectors: [envDetector] })),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRate) }),
    spanProcessors,
  });
  // Code the service does not own (a library's own instrumentation) finds it through the API.
  const global = trace.setGlobalTracerProvider(provider);

  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    tracer: (name) => provider.getTracer(name),
    shutdown: () =>
      (stopped ??= (async () => {
        await provider.shutdown();
        if (global) trace.disable();
      })()),
  };
}

let propagationRegistered = false;

/**
 * Context follows async calls (AsyncLocalStorage) and travels as W3C `traceparent`. Registered once
 * per process and kept: they hold no state, and a second service in the process (tests) shares them.
 */
function registerContextPropagation(): void {
  if (propagationRegistered) return;
  propagationRegistered = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
