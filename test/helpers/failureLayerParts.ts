import { loadFailureLayer } from '../../lib/failureLayer/loadFailureLayer.js';

/**
 * Vitest set-up (every project): loads the failure layer before the tests, as a container does on its
 * first batch that needs it. Tests may then call the layer's files directly (sendDeadLetters,
 * planRedelivery, attemptLedger, ...: loading hands them the parts they take from the entry), and tests on
 * fake timers never have a batch wait for the real file reads of a first load while their clock jumps.
 * The first load itself is tested on real timers: test/unit/failureLayer/loadFailureLayer.test.ts, and
 * the bundled worker in test/infra/bundling.test.ts.
 */
await loadFailureLayer();
