// Projects so CI can run them separately; `npm test` runs all of them. `live` holds the vendor contract suites
// run against the real SaaS APIs: scripts/test.mjs runs each one only when its credentials are set.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  },
];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@switchboard/integration-kit$': '<rootDir>/libs/integration-kit/src/index.ts',
    '^@switchboard/protocol-test-kit$': '<rootDir>/libs/integrations/protocol-test-kit/src/index.ts',
    '^@switchboard/workspace$': '<rootDir>/libs/integrations/workspace/src/index.ts',
    '^@switchboard/http-client$': '<rootDir>/libs/http-client/src/index.ts',
    '^@switchboard/databases$': '<rootDir>/libs/integrations/databases/src/index.ts',
    '^@switchboard/openapi$': '<rootDir>/libs/integrations/openapi/src/index.ts',
    '^@switchboard/upstream-mcp$': '<rootDir>/libs/integrations/upstream-mcp/src/index.ts',
    '^@switchboard/crm$': '<rootDir>/libs/integrations/crm/src/index.ts',
    '^@switchboard/checker$': '<rootDir>/libs/checker/src/index.ts',
    '^@switchboard/projects$': '<rootDir>/libs/integrations/projects/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/data/'],
};
export default {
  // A global option (ignored inside projects): opening a new embedded database takes seconds on a busy
  // 2-core machine, and e2e tests drive whole servers and browsers. Unit tests finish far below it.
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/cli/**/*.spec.ts',
        '<rootDir>/apps/dashboard/src/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...common, displayName: 'live', testMatch: ['<rootDir>/test/live/**/*.test.ts'] },
  ],
};
