import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { type ServiceConfig } from '../config/app.config';

/**
 * Structured JSON logs on stdout; the service name is on every line so aggregated logs stay
 * attributable. With `traceIds`, a line written while a span is active carries its `trace_id` and
 * `span_id`, so a log search leads to the trace and back. On a terminal (a person running
 * `npm start`) the same lines are printed readable instead: one line each, coloured, local time.
 */
export function createLogger(
  service: ServiceConfig,
  options: {
    traceIds?: boolean;
    /** Default: stdout. */
    destination?: NodeJS.WritableStream;
    /** Readable lines instead of JSON; default: when stdout is a terminal. */
    pretty?: boolean;
  } = {},
): Logger {
  const settings = {
    name: service.name,
    level: service.logLevel,
    ...(options.traceIds && { mixin: activeSpanIds }),
  };
  if (options.pretty ?? process.stdout.isTTY) {
    const readable = pretty({
      colorize: options.destination === undefined,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      ...(options.destination && { destination: options.destination }),
    });
    return pino(settings, readable);
  }
  return options.destination ? pino(settings, options.destination as DestinationStream) : pino(settings);
}

function activeSpanIds(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
