import type { RequestHandler } from 'express';
import { RouteNotFoundError } from '../errors/http-errors';

/** Mounted after every router: whatever reaches it has no route. */
export const notFoundMiddleware: RequestHandler = (req, _res, next) => {
  next(new RouteNotFoundError(req.method, req.path));
};
