import fc from 'fast-check';
import { it } from 'vitest';
import { modelProperty } from './runModel.js';

it('property (probe)', async () => {
  const started = Date.now();
  await fc.assert(modelProperty(), { numRuns: Number(process.env.MODEL_RUNS ?? 20), seed: Number(process.env.MODEL_SEED ?? 42) });
  console.log('took', Date.now() - started);
});
