import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFigures, modelProperty } from './runModel.js';

/**
 * The model-based conservation property (docs/testing.md): random command lists of up to 200 commands
 * against the model of SQS, the event source mapping and Lambda, with the deployed runtime, breaker
 * controller and redrive function in it; every invariant after every command and after the drain.
 *
 * `npm test` runs 1,000 runs with a fixed seed, so the gate is reproducible; `npm run soak -- --model`
 * runs 10,000 with a fresh seed. MODEL_RUNS and MODEL_SEED set both; a failure prints its seed, its
 * replay path and the shrunk command list, which becomes a test in regressions.test.ts.
 */
const runs = Number(process.env.MODEL_RUNS ?? 1_000);
const seed = Number(process.env.MODEL_SEED ?? 20_261_124);
/** With the `path` fast-check printed, MODEL_PATH replays just the failing run. */
const path = process.env.MODEL_PATH;

describe('the runtime against the model', () => {
  it(
    `keeps every invariant over ${runs} random runs of up to 200 commands (seed ${seed})`,
    async () => {
      const figures = new ModelFigures();
      const startedAt = performance.now();
      await fc.assert(modelProperty({ figures }), {
        numRuns: runs,
        seed,
        ...(path === undefined ? {} : { path, endOnFailure: true }),
      });
      const seconds = ((performance.now() - startedAt) / 1_000).toFixed(1);
      console.log(`Model: ${figures.summary()}; ${seconds} s`);
      expect(figures.runs).toBeGreaterThanOrEqual(runs);
    },
    // About 30 ms a run on two shared cores; a generous ceiling that still stops a runaway run.
    60_000 + runs * 250,
  );
});
