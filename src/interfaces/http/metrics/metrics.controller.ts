import { Router } from 'express';
import { allowOnly } from '../middleware/allow-only.middleware';

/** What GET /metrics needs; a prom-client Registry satisfies it. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export function createMetricsRouter(source: MetricsSource): Router {
  const router = Router();

  router
    .route('/')
    .get(async (_req, res) => {
      const body = await source.metrics();
      res.type(source.contentType).send(body);
    })
    .all(allowOnly('GET'));

  return router;
}
