import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { type ServiceConfig } from '../config/app.config';

/**
 * Structured JSON logs on stdout; the service name is on every line so aggregated logs stay
 * attributable. With `traceIds`, a line written while a span is active carries its `trace_id` and
 * `span_id`, so a log search leads to the trace and back.
 */
export function createLogger(
  service: ServiceConfig,
  options: { traceIds?: boolean; destination?: DestinationStream } = {},
): Logger {
  const settings = {
    name: service.name,
    level: service.logLevel,
    ...(options.traceIds && { mixin: activeSpanIds }),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

function activeSpanIds(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
