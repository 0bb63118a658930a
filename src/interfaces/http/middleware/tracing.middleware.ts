import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';

export const TRACEPARENT_HEADER = 'traceparent';

/**
 * A SERVER span per request that continues the caller's W3C `traceparent` (or starts a trace), runs
 * the rest of the request in it, and answers with the span's own `traceparent`, so a caller can find
 * the trace. Without a tracer (tracing off) it only passes the request on.
 */
export function tracingMiddleware(tracer: Tracer | undefined): RequestHandler {
  if (!tracer) return (_req, _res, next) => next();
  return (req, res, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.path,
          'url.scheme': req.protocol,
        },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    const carrier: Record<string, string> = {};
    propagation.inject(active, carrier);
    if (carrier[TRACEPARENT_HEADER]) res.setHeader(TRACEPARENT_HEADER, carrier[TRACEPARENT_HEADER]);

    res.once('finish', () => {
      // Named after the matched route (low cardinality), not the path, once routing has happened.
      const route = matchedRoute(req);
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    res.once('close', () => {
      if (!res.writableFinished) span.end();
    });
    context.with(active, next);
  };
}

function matchedRoute(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return undefined;
  const full = `${req.baseUrl}${path === '/' ? '' : path}`;
  return full || '/';
}
