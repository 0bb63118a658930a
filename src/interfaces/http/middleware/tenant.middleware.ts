import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { executionContext } from '../../../infrastructure/context/execution-context';
import { resolveTenant, type TenancyMode } from '../../../infrastructure/context/tenant';
import { InvalidTenantError } from '../errors/http-errors';

export const TENANT_HEADER = 'X-Tenant-ID';

/**
 * Runs the rest of the request in the tenant named by `X-Tenant-ID`, per `mode` (see TenancyMode):
 * every query the request makes is scoped to it and every event it causes carries it. A missing id
 * (when required) or a malformed one is a 400 naming the rule. Mounted on the routes that touch data.
 */
export function tenantMiddleware(mode: TenancyMode): RequestHandler {
  return (req, _res, next) => {
    const tenant = resolveTenant(req.get(TENANT_HEADER), mode);
    if ('problem' in tenant) {
      next(new InvalidTenantError(tenant.problem));
      return;
    }
    const current = executionContext.current();
    const correlationId = current?.correlationId ?? randomUUID();
    executionContext.run({ ...current, correlationId, tenantId: tenant.tenantId }, () => next());
  };
}
