import type { RequestHandler } from 'express';
import { ServiceShuttingDownError } from '../errors/http-errors';

/**
 * Once the service is draining, a request that still arrives (on a kept-alive connection) is not
 * started: 503 with `Connection: close`, so the client retries on a fresh connection, which a load
 * balancer sends to another instance.
 */
export function shutdownGate(draining: () => boolean): RequestHandler {
  return (_req, _res, next) => {
    next(draining() ? new ServiceShuttingDownError() : undefined);
  };
}
