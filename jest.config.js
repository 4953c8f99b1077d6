/** Type-checking is `npm run typecheck`'s job; jest only transpiles (tsconfig has isolatedModules). */
module.exports = {
  testEnvironment: 'node',
  // examples/library-app holds the README's snapshot recipe, run against the sources.
  roots: ['<rootDir>/test', '<rootDir>/examples/library-app'],
  moduleNameMapper: { '^compose-cdk8s$': '<rootDir>/lib/index.ts' },
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
};
