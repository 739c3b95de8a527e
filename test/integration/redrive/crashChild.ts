import { redrive } from '../../../lib/redrive/index.js';

/**
 * One redrive run in its own process, for the crash-safety test to kill at a random moment. It prints
 * `ready` once loaded and `done` if it ever finishes. Endpoint and credentials come from the environment.
 */
const { CRASH_DLQ, CRASH_SOURCE, CRASH_RATE } = process.env;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

process.stdout.write('ready\n');
await redrive({
  dlq: CRASH_DLQ as string,
  source: CRASH_SOURCE as string,
  // The two queues feed each other for the test; neither names the other in a redrive policy.
  confirmUnpairedSource: true,
  strategy: 'manual',
  concurrency: 4,
  ratePerSecond: Number(CRASH_RATE),
  receiveWaitSeconds: 0,
  // Short, so that messages a killed run held come back within the test.
  visibilityTimeoutSeconds: 2,
  logger: silent,
});
process.stdout.write('done\n');
