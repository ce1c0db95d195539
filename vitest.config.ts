import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{backend,agent,protocol,deploy}/**/*.test.ts'],
    globalSetup: ['backend/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['backend/src/**/*.ts', 'protocol/src/**/*.ts'],
      exclude: ['**/*.test.ts', 'backend/src/main.ts', 'backend/src/db/migrate-cli.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      thresholds: { 'backend/src/**/*.ts': { lines: 80 } },
    },
  },
});
