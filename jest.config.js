/** Six projects so each layer of the pyramid can run alone (`npm run test:unit` etc.). */
const transform = { '^.+\\.ts$': ['@swc/jest'] };
const common = { transform, testEnvironment: 'node', setupFiles: ['reflect-metadata'] };

/** @type {import('jest').Config} */
module.exports = {
  // Brokers in containers when a container runtime answers and KAFKA_BROKERS / NATS_URL are unset.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transform,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.contract.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.integration.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'] },
    { ...common, displayName: 'resilience', testMatch: ['<rootDir>/test/resilience/**/*.resilience.ts'] },
    { ...common, displayName: 'scale', testMatch: ['<rootDir>/test/scale/**/*.scale.ts'] },
  ],
};
