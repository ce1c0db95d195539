import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['{backend,agent,protocol,deploy}/**/*.test.ts', 'dashboard/e2e/**/*.test.ts'],
          globalSetup: ['backend/test/global-setup.ts'],
        },
      },
      {
        // Component tests: the dashboard's own code in a simulated DOM (end-to-end runs in Chromium).
        extends: true,
        plugins: [solid()],
        resolve: { conditions: ['development', 'browser'] },
        test: {
          name: 'dashboard',
          include: ['dashboard/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          // The router ships JSX source: let Vite compile it rather than Node load it.
          server: { deps: { inline: [/@solidjs\/router/] } },
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['backend/src/**/*.ts', 'protocol/src/**/*.ts'],
      exclude: ['**/*.test.ts', 'backend/src/main.ts', 'backend/src/db/migrate-cli.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      thresholds: { 'backend/src/**/*.ts': { lines: 80 } },
    },
  },
});
