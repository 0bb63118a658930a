import type { Tracer } from '@opentelemetry/api';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { TenancyMode } from '../../infrastructure/context/tenant';
import { createDocsRouter } from './docs/docs.controller';
import { buildOpenApiDocument } from './docs/openapi-document';
import { createHealthRouter, HEALTH_ROUTE_DOCS } from './health/health.controller';
import type { HealthProbes } from './health/health-probes';
import type { HttpRoute } from './http-route';
import { createMetricsRouter, METRICS_ROUTE_DOCS, type MetricsSource } from './metrics/metrics.controller';
import { errorMiddleware } from './middleware/error.middleware';
import { notFoundMiddleware } from './middleware/not-found.middleware';
import { requestIdMiddleware } from './middleware/request-id.middleware';
import { securityHeadersMiddleware } from './middleware/security-headers.middleware';
import { shutdownGate } from './middleware/shutdown-gate.middleware';
import { tenantMiddleware } from './middleware/tenant.middleware';
import { tracingMiddleware } from './middleware/tracing.middleware';

export interface HttpAppDependencies {
  /** The bounded contexts' routes (each context builds its own from its use cases). */
  routes: readonly HttpRoute[];
  health: HealthProbes;
  /** A prom-client Registry satisfies it. */
  metrics: MetricsSource;
  logger: Logger;
  /** Request spans, when tracing is on. */
  tracer?: Tracer;
  /** Budget of one health or readiness probe; defaults to the seed's 10 s. */
  healthCheckTimeoutMs?: number;
  /** Serve GET /health/details with the reason of each failing check (default off). */
  healthDetails?: boolean;
  /** Where a request's tenant comes from; default `off` (every request is the default tenant). */
  tenancy?: TenancyMode;
  /** True once the service is shutting down: data routes then answer 503 and close the connection. */
  draining?: () => boolean;
  /**
   * Serve `/openapi.json` (built from the routes), `/asyncapi.json` (this event catalogue) and
   * `/docs` under this title and version.
   */
  catalogue?: { title: string; version: string; asyncapi: Record<string, unknown> };
}

/** The express app, built from plain collaborators; the composition root decides where they come from. */
export function createHttpApp(deps: HttpAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  // Flat key=value pairs only: no nested objects smuggled in through `a[b]=c`.
  app.set('query parser', 'simple');

  app.use(tracingMiddleware(deps.tracer));
  app.use(securityHeadersMiddleware);
  app.use(requestIdMiddleware(deps.logger));
  const gate = shutdownGate(deps.draining ?? (() => false));
  const tenant = tenantMiddleware(deps.tenancy ?? 'off');
  for (const route of deps.routes) app.use(route.path, gate, tenant, route.router);
  app.use(
    '/health',
    createHealthRouter(deps.health, { timeoutMs: deps.healthCheckTimeoutMs, details: deps.healthDetails }),
  );
  app.use('/metrics', createMetricsRouter(deps.metrics));
  if (deps.catalogue) {
    const { title, version, asyncapi } = deps.catalogue;
    const routes = [
      ...deps.routes,
      { path: '/health', docs: HEALTH_ROUTE_DOCS },
      { path: '/metrics', docs: METRICS_ROUTE_DOCS },
    ];
    app.use(createDocsRouter({ openapi: buildOpenApiDocument({ title, version, routes }), asyncapi }));
  }
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(deps.logger));

  return app;
}
