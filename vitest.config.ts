import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * One project per suite so each can be run alone (`vitest run --project unit`); `npm test` runs them all.
 * Logs are silent unless a test injects its own logger.
 */
export default defineConfig({
  test: {
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' },
    // The failure layer's files take shared code from the entry at run time (lib/failureLayer/entryParts.ts).
    setupFiles: ['test/helpers/failureLayerParts.ts'],
    // One test file per core. Vitest's own default on a 2-core machine ran one file at a time: most
    // integration files wait on time-compressed runs rather than compute, and the suite took 527 s of
    // vitest time on an idle 2-core machine against 275 s with two (measured 2026-12-03).
    maxWorkers: availableParallelism(),
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          // The bundling test's set-up runs esbuild three times, which on a loaded 2-core machine takes
          // about 10 s, the default.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          // Set-up hooks synthesize apps and start embedded servers: on a shared 2-core machine, with the
          // demo runs of other files beside them, that takes longer than the default 10 s.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'model', include: ['test/model/**/*.test.ts'], testTimeout: 300_000 },
      },
      {
        extends: true,
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          // Packs the package and installs it into a fresh project once, for every package test.
          globalSetup: ['test/package/helpers/packedProject.setup.ts'],
          testTimeout: 300_000,
        },
      },
    ],
  },
});
