import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import { InvalidOptionsError } from '../errors.js';
import { assertSupportedNode } from '../nodeVersion.js';
import { chooseStrategy, type StrategyChoice } from './chooseStrategy.js';
import { assertPairedDestination, unpairedReason } from './destinationPairing.js';
import { runManualStrategy } from './manualStrategy.js';
import { runNativeStrategy } from './nativeStrategy.js';
import { RedriveInterruptedError } from './redriveErrors.js';
import type { RedriveOptions } from './redriveOptions.js';
import { announce, type ResolvedRedriveOptions, resolveRedriveOptions } from './redriveOptions.js';
import { assertSameQueueType, describeRedriveQueue, type QueueDescription } from './redriveQueues.js';
import type { RedrivePlan, RedriveReport } from './redriveReport.js';
import { RedriveTally } from './redriveTally.js';
import { sourceQueueResolver } from './sourceQueue.js';

/**
 * Batches already received when the time budget ends may take this long to be sent and deleted, and the
 * held messages to be released; AWS calls stop retrying after it. The redrive function keeps more than
 * this between its budget and the Lambda timeout.
 */
export const FINISH_GRACE_MS = 5_000;

/**
 * Moves messages from a DLQ back to their source queues and reports what happened to each. Never deletes
 * a message from the DLQ before a queue accepted its copy: a crash at any point may leave a duplicate,
 * never a loss. Queues are checked first (they exist, DLQ and destinations are of one type), so a
 * misconfigured run moves nothing. Never sends to a queue whose redrive policy does not name the DLQ: a
 * `source` that does not is refused unless `confirmUnpairedSource` says so, and a message whose metadata
 * names such a queue stays in the DLQ, reported (`unpairedDestinations`), not followed.
 *
 * @example
 * const report = await redrive({
 *   dlq: 'orders-dlq',
 *   filter: { errorClass: 'TimeoutError' },
 *   maxRedrivesPerMessage: 3,
 *   ratePerSecond: 100,
 * });
 * console.log(`${report.moved} moved, ${report.capped} over the cap`);
 */
export async function redrive(options: RedriveOptions): Promise<RedriveReport> {
  assertSupportedNode();
  const resolved = resolveRedriveOptions(options);
  const startedAt = Date.now();
  const policy: AwsCallPolicy = {
    deadline:
      resolved.timeBudgetMs === undefined
        ? Number.POSITIVE_INFINITY
        : startedAt + resolved.timeBudgetMs + FINISH_GRACE_MS,
  };
  const client = resolved.aws.sqs;

  const dlq = await describeRedriveQueue('DLQ', resolved.dlq, policy, client);
  const source = await optionalQueue('source queue', resolved.source, dlq, policy, resolved);
  if (source !== undefined) {
    assertPairedDestination('source queue', source, dlq, resolved.confirmUnpairedSource);
    const reason = unpairedReason(source.name, source.redriveTarget, dlq);
    if (reason !== undefined)
      resolved.logger.warn(`Redriving to ${source.name} as confirmed, although ${reason}`, { dlq: dlq.url });
  }
  const parking = await optionalQueue('parking queue', resolved.parkingQueue, dlq, policy, resolved);
  if (source !== undefined && source.url === parking?.url)
    throw new InvalidOptionsError('redrive options', ['parkingQueue: must differ from the source']);

  let choice: StrategyChoice = chooseStrategy(resolved);
  const stop = stopSignal(resolved.signal, resolved.timeBudgetMs);
  const tally = new RedriveTally(resolved.reportLimit, startedAt);
  try {
    if (choice.strategy === 'native') {
      const outcome = await runNativeStrategy({
        options: resolved,
        dlq,
        destination: source,
        strategyReason: choice.reason,
        tally,
        stop: stop.signal,
        policy,
      });
      if (outcome.kind === 'report') return outcome.report;
      choice = {
        strategy: 'manual',
        reason: `the endpoint does not support StartMessageMoveTask (${outcome.detail}); used the manual strategy instead`,
      };
      resolved.logger.warn(`Native redrive unavailable: ${choice.reason}`, { dlq: dlq.url });
    }

    const plan: RedrivePlan = {
      dlqUrl: dlq.url,
      dlqArn: dlq.arn,
      fifo: dlq.fifo,
      strategy: 'manual',
      strategyReason: choice.reason,
      dryRun: resolved.dryRun,
      approximateDepth: dlq.approximateDepth,
    };
    await announce(resolved, plan);
    const outcome = await runManualStrategy({
      options: resolved,
      plan,
      dlq,
      parking,
      destinationOf: sourceQueueResolver(dlq, source, policy, client),
      tally,
      stop: stop.signal,
      policy,
    });
    const report = tally.report(plan, outcome.stopReason);
    if (outcome.error !== undefined) {
      const { name, message } = outcome.error as Error;
      throw new RedriveInterruptedError(
        `The redrive of ${dlq.name} stopped on ${name}: ${message}. ${report.moved} message(s) had moved; the ` +
          'rest are still in the DLQ.',
        report,
        outcome.error,
      );
    }
    return report;
  } finally {
    stop.dispose();
  }
}

async function optionalQueue(
  role: string,
  reference: string | undefined,
  dlq: QueueDescription,
  policy: AwsCallPolicy,
  options: ResolvedRedriveOptions,
): Promise<QueueDescription | undefined> {
  if (reference === undefined) return undefined;
  const queue = await describeRedriveQueue(role, reference, policy, options.aws.sqs);
  if (queue.url === dlq.url)
    throw new InvalidOptionsError('redrive options', [`${role}: must not be the DLQ itself`]);
  assertSameQueueType(dlq, queue, role);
  return queue;
}

/** Aborts when the caller aborts or the time budget ends, whichever comes first. */
function stopSignal(
  callerSignal: AbortSignal | undefined,
  timeBudgetMs: number | undefined,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  if (callerSignal?.aborted) controller.abort();
  const timer = timeBudgetMs === undefined ? undefined : setTimeout(onAbort, timeBudgetMs);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}
