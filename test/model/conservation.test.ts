import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFigures, modelProperty } from './runModel.js';

/**
 * The model-based conservation property (docs/testing.md): random command lists of up to 200 commands
 * against the model of SQS, the event source mapping and Lambda, with the deployed runtime, breaker
 * controller and redrive function in it; every invariant after every command and after the drain.
 * MODEL_RUNS and MODEL_SEED change the run count and the seed (`npm run soak -- --model` runs 10,000).
 */
const runs = Number(process.env.MODEL_RUNS ?? 1_000);
const seed = process.env.MODEL_SEED === undefined ? undefined : Number(process.env.MODEL_SEED);

describe('the runtime against the model', () => {
  it(`keeps every invariant over ${runs} random runs of up to 200 commands`, async () => {
    const figures = new ModelFigures();
    const startedAt = performance.now();
    await fc.assert(modelProperty({ figures }), {
      numRuns: runs,
      ...(seed === undefined ? {} : { seed }),
      // The counterexample is printed with its seed and path; `MODEL_SEED=<seed>` reruns it.
      verbose: 0,
    });
    const seconds = ((performance.now() - startedAt) / 1_000).toFixed(1);
    console.log(`Model: ${figures.summary()}; ${seconds} s`);
    expect(figures.runs).toBeGreaterThanOrEqual(runs);
  });
});
