import { Router } from 'express';
import type { RouteDocs } from '../docs/route-docs';
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

export const METRICS_ROUTE_DOCS: RouteDocs = {
  '/': {
    get: {
      summary: 'Prometheus metrics (eventbus_*, outbox_*, process)',
      responses: {
        200: { description: 'Prometheus text format', schema: { type: 'string' }, contentType: 'text/plain' },
      },
    },
  },
};
