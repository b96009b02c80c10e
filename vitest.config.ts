import { defineConfig } from 'vitest/config';

// Unit and integration tests. Integration tests start real brokers on loopback ports and run
// real clients, so they get generous timeouts; e2e browser tests run under Playwright instead.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
