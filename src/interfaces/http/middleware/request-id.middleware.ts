import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { executionContext } from '../../../infrastructure/context/execution-context';

export const REQUEST_ID_HEADER = 'X-Request-Id';

// Restrictive on purpose: the id is echoed in a header and written to logs, so nothing that could
// split a header line or forge a log entry gets through.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const requestLoggers = new WeakMap<Response, Logger>();

/** The logger bound to this request's id, once the request id middleware has run. */
export function requestLoggerOf(res: Response): Logger | undefined {
  return requestLoggers.get(res);
}

/**
 * Adopts the caller's X-Request-Id (or makes one), echoes it, logs one line per request, and runs the
 * rest of the request with it as correlation id so that published events carry it.
 */
export function requestIdMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(REQUEST_ID_HEADER);
    const requestId = incoming !== undefined && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);

    const requestLogger = logger.child({ requestId });
    requestLoggers.set(res, requestLogger);
    const startedAt = performance.now();
    const logCompletion = (message: string): void => {
      const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
      requestLogger.info(
        { method: req.method, url: req.originalUrl, status: res.statusCode, durationMs },
        message,
      );
    };
    // Bound to the request's async context, so the line carries its trace ids like the others.
    res.once(
      'finish',
      AsyncResource.bind(() => logCompletion('request completed')),
    );
    // 'close' without 'finish': the client went away before the response was written.
    res.once(
      'close',
      AsyncResource.bind(() => {
        if (!res.writableFinished) logCompletion('request aborted');
      }),
    );

    executionContext.run({ correlationId: requestId }, () => next());
  };
}
