import type { RequestHandler } from 'express';

/** Mounted after every router: whatever reaches it has no route. */
export const notFoundMiddleware: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}` });
};
