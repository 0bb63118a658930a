import { Router } from 'express';

/** What GET /metrics needs; a prom-client Registry satisfies it. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export function createMetricsRouter(source: MetricsSource): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const body = await source.metrics();
    res.type(source.contentType).send(body);
  });

  return router;
}
