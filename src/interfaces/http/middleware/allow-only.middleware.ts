import type { RequestHandler } from 'express';
import { MethodNotAllowedError } from '../errors/http-errors';

/**
 * Mounted with `route.all()` after a route's handlers: a method the route does not serve is a 405
 * naming those it does in `Allow`, and OPTIONS is answered 204 with the same header. GET implies
 * HEAD, as express serves it.
 */
export function allowOnly(...methods: string[]): RequestHandler {
  const allowed = methods.includes('GET') && !methods.includes('HEAD') ? [...methods, 'HEAD'] : methods;
  return (req, res, next) => {
    if (req.method === 'OPTIONS') {
      res
        .set('Allow', [...allowed, 'OPTIONS'].join(', '))
        .status(204)
        .end();
      return;
    }
    next(new MethodNotAllowedError(req.method, allowed));
  };
}
