import { beforeAll } from 'vitest';

/**
 * Vitest set-up (every project): loads the failure layer before each file's tests, as a container does on
 * its first batch that needs it. Tests may then call the layer's files directly (sendDeadLetters,
 * planRedelivery, attemptLedger, ...: loading hands them the parts they take from the entry), and tests on
 * fake timers never have a batch wait for the real file reads of a first load while their clock jumps.
 * In a hook, not at the top: a file's vi.mock calls must be registered before the layer's modules load.
 * The first load itself is tested on real timers: test/unit/failureLayer/loadFailureLayer.test.ts, and
 * the bundled worker in test/infra/bundling.test.ts.
 */
beforeAll(async () => {
  const { loadFailureLayer } = await import('../../lib/failureLayer/loadFailureLayer.js');
  await loadFailureLayer();
});
