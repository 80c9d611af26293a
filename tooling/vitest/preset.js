// Shared vitest settings: every package spreads this into its own vitest.config.ts.
import { defineConfig } from 'vitest/config';

/** Builds a package's vitest config; `coverage` turns on v8 coverage with the given thresholds. */
export function preset({ coverage, testTimeout = 20_000 } = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout,
      hookTimeout: testTimeout,
      pool: 'forks',
      maxWorkers: 2,
      coverage: coverage
        ? {
            enabled: true,
            provider: 'v8',
            include: ['src/**/*.ts'],
            exclude: ['src/**/*.test.ts', 'src/**/index.ts'],
            reporter: ['text-summary', 'text'],
            thresholds: coverage,
          }
        : { enabled: false },
    },
  });
}
