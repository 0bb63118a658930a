import { DEFAULT_TENANT_ID, resolveTenant } from '../../../../src/infrastructure/context/tenant';

describe('resolveTenant', () => {
  it('off: every request and event is the default tenant, whatever it names', () => {
    expect(resolveTenant(undefined, 'off')).toEqual({ tenantId: DEFAULT_TENANT_ID });
    expect(resolveTenant('acme', 'off')).toEqual({ tenantId: DEFAULT_TENANT_ID });
    expect(resolveTenant('not valid!', 'off')).toEqual({ tenantId: DEFAULT_TENANT_ID });
  });

  it('optional: the named tenant, else the default one', () => {
    expect(resolveTenant('acme', 'optional')).toEqual({ tenantId: 'acme' });
    expect(resolveTenant(undefined, 'optional')).toEqual({ tenantId: DEFAULT_TENANT_ID });
    expect(resolveTenant('', 'optional')).toEqual({ tenantId: DEFAULT_TENANT_ID });
  });

  it('required: a missing tenant is a problem', () => {
    expect(resolveTenant('acme-2_b', 'required')).toEqual({ tenantId: 'acme-2_b' });
    expect(resolveTenant(undefined, 'required')).toEqual({ problem: 'a tenant id is required' });
  });

  it.each([['acme corp'], ['a'.repeat(65)], ['tenant/1'], ['ünï'], [42]])(
    'refuses the malformed id %p when tenancy is on, naming the rule',
    (named) => {
      for (const mode of ['optional', 'required'] as const) {
        expect(resolveTenant(named, mode)).toEqual({
          problem: 'invalid tenant id: a tenant id is 1 to 64 letters, digits, "-" or "_"',
        });
      }
    },
  );

  it('accepts the longest allowed id', () => {
    expect(resolveTenant('a'.repeat(64), 'required')).toEqual({ tenantId: 'a'.repeat(64) });
  });
});
