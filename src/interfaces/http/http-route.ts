import type { Router } from 'express';
import type { RouteDocs } from './docs/route-docs';

/**
 * A bounded context's HTTP surface: its router, mounted at `path`. The app gives every such route
 * the request's tenant and refuses new requests on it while the service drains.
 */
export interface HttpRoute {
  readonly path: string;
  readonly router: Router;
  /** Its operations, for the OpenAPI document. */
  readonly docs: RouteDocs;
}
