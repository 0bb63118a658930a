/**
 * Tenancy: which customer's data a piece of work belongs to. Every read and write is scoped by the
 * tenant of the current execution context; the id travels in event metadata and message headers.
 */
export const TENANCY_MODES = ['off', 'optional', 'required'] as const;
/**
 * `off`: every request and event belongs to the default tenant. `optional`: the `X-Tenant-ID`
 * header (or event metadata) names it, else the default tenant. `required`: it must be named.
 */
export type TenancyMode = (typeof TENANCY_MODES)[number];

export const DEFAULT_TENANT_ID = 'default';

const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const TENANT_ID_RULE = 'a tenant id is 1 to 64 letters, digits, "-" or "_"';

export function isValidTenantId(value: unknown): value is string {
  return typeof value === 'string' && TENANT_ID_PATTERN.test(value);
}

export type TenantResolution = { tenantId: string } | { problem: string };

/**
 * The tenant named by a request header or event metadata (`undefined`: none named), per `mode`.
 * A named but malformed id is refused in every mode but `off`, so a typo never lands in another tenant.
 */
export function resolveTenant(named: unknown, mode: TenancyMode): TenantResolution {
  if (mode === 'off') return { tenantId: DEFAULT_TENANT_ID };
  if (named === undefined || named === null || named === '') {
    return mode === 'required' ? { problem: 'a tenant id is required' } : { tenantId: DEFAULT_TENANT_ID };
  }
  return isValidTenantId(named) ? { tenantId: named } : { problem: `invalid tenant id: ${TENANT_ID_RULE}` };
}
