/**
 * The layer rule, checked in CI: domain <- application <- infrastructure / interfaces.
 * The composition root (infrastructure/di and main.ts) is the only place that sees every layer.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing outside itself: no other layer, no npm package, no node builtin.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain' },
    },
    {
      name: 'application-depends-on-domain-only',
      comment: 'Use cases and subscribers see the domain and nothing else (no framework, no adapter).',
      severity: 'error',
      from: { path: '^src/application' },
      to: { pathNot: '^src/(application|domain)' },
    },
    {
      name: 'infrastructure-does-not-know-interfaces',
      comment: 'Adapters must not depend on delivery mechanisms; only the composition root wires them.',
      severity: 'error',
      from: { path: '^src/infrastructure', pathNot: '^src/infrastructure/di' },
      to: { path: '^src/(interfaces|main\\.ts)' },
    },
    {
      name: 'eventbus-is-a-library',
      comment: 'The event bus knows nothing of this service: no domain, application or other adapter.',
      severity: 'error',
      from: { path: '^src/infrastructure/eventbus' },
      to: { path: '^src/(domain|application|interfaces)|^src/infrastructure/(?!eventbus)' },
    },
    {
      name: 'eventbus-behind-its-entry',
      comment:
        'The rest of the service uses the event bus through eventbus/index.ts only, so its internals can change freely.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/infrastructure/eventbus/' },
      to: { path: '^src/infrastructure/eventbus/', pathNot: '^src/infrastructure/eventbus/index\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
