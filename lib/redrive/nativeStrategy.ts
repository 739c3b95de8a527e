import { describeAwsError, isUnsupportedOperationError } from '../aws/awsCallError.js';
import type { AwsCallPolicy } from '../aws/awsCallPolicy.js';
import {
  cancelMessageMoveTask,
  listMessageMoveTasks,
  type MessageMoveTask,
  startMessageMoveTask,
} from '../aws/messageMoveTaskApi.js';
import { sleep } from '../time/sleep.js';
import { MessageMoveTaskError } from './redriveErrors.js';
import { announce, type ResolvedRedriveOptions } from './redriveOptions.js';
import type { QueueDescription } from './redriveQueues.js';
import type { NativeTaskReport, RedrivePlan, RedriveReport, RedriveStopReason } from './redriveReport.js';
import type { RedriveTally } from './redriveTally.js';

export interface NativeRun {
  readonly options: ResolvedRedriveOptions;
  readonly dlq: QueueDescription;
  /** When set, every message goes there; otherwise each goes back to its original source. */
  readonly destination: QueueDescription | undefined;
  readonly strategyReason: string;
  readonly tally: RedriveTally;
  readonly stop: AbortSignal;
  readonly policy: AwsCallPolicy;
}

export type NativeOutcome =
  | { readonly kind: 'report'; readonly report: RedriveReport }
  /** The endpoint does not implement message move tasks: the caller falls back to manual. */
  | { readonly kind: 'unsupported'; readonly detail: string };

const TERMINAL: Record<string, RedriveStopReason> = {
  COMPLETED: 'task-completed',
  FAILED: 'task-failed',
  CANCELLED: 'task-cancelled',
};

/**
 * SQS's own redrive: starts a message move task and follows it with ListMessageMoveTasks until it ends,
 * the time budget runs out (the task goes on server-side; the report says `task-running`) or the caller
 * aborts (the task is cancelled, as an operator pressing Ctrl-C expects).
 */
export async function runNativeStrategy(run: NativeRun): Promise<NativeOutcome> {
  const { options, dlq, tally, stop, policy } = run;
  const client = options.aws.sqs;
  let taskHandle: string;
  const startedAt = Date.now();
  try {
    taskHandle = await startMessageMoveTask(
      {
        sourceArn: dlq.arn,
        destinationArn: run.destination?.arn,
        maxMessagesPerSecond: options.ratePerSecond,
      },
      policy,
      client,
    );
  } catch (error) {
    const { name, message } = describeAwsError(error);
    if (isUnsupportedOperationError(error)) return { kind: 'unsupported', detail: `${name}: ${message}` };
    throw new MessageMoveTaskError(
      `SQS did not start a message move task on ${dlq.name} (${name}: ${message}). A task may already be running ` +
        'on it (one per queue), or it is not the DLQ of any queue. Nothing was moved.',
      { dlq: dlq.url, error: name },
    );
  }

  const plan: RedrivePlan = {
    dlqUrl: dlq.url,
    dlqArn: dlq.arn,
    fifo: dlq.fifo,
    strategy: 'native',
    strategyReason: run.strategyReason,
    dryRun: false,
    approximateDepth: dlq.approximateDepth,
  };
  await announce(options, plan);

  let task: MessageMoveTask | undefined;
  let stopReason: RedriveStopReason = 'task-running';
  for (;;) {
    const tasks = await listMessageMoveTasks(dlq.arn, policy, client).catch(() => undefined);
    task = (tasks === undefined ? undefined : ourTask(tasks, taskHandle, startedAt)) ?? task;
    if (task !== undefined) {
      tally.setMoved(task.approximateMessagesMoved);
      try {
        options.onProgress(tally.progress(plan, task.approximateMessagesToMove ?? dlq.approximateDepth));
      } catch (error) {
        options.logger.warn('Redrive progress callback threw; the run goes on', { error });
      }
      const terminal = TERMINAL[task.status];
      if (terminal !== undefined) {
        stopReason = terminal;
        break;
      }
    }
    if (stop.aborted) {
      if (options.signal?.aborted) {
        await cancelMessageMoveTask(taskHandle, policy, client).catch((error: unknown) =>
          options.logger.warn('The message move task could not be cancelled', { taskHandle, error }),
        );
        stopReason = 'aborted';
      }
      break;
    }
    await sleep(options.nativePollIntervalMs, stop);
  }

  const nativeTask: NativeTaskReport = {
    taskHandle,
    status: task?.status ?? 'RUNNING',
    approximateMessagesToMove: task?.approximateMessagesToMove,
    failureReason: task?.failureReason,
  };
  return { kind: 'report', report: tally.report(plan, stopReason, nativeTask) };
}

/**
 * ListMessageMoveTasks names a task's handle only while it runs; once it ended, ours is the newest task
 * that started after we asked (allowing for clock skew between us and SQS).
 */
function ourTask(
  tasks: readonly MessageMoveTask[],
  taskHandle: string,
  startedAt: number,
): MessageMoveTask | undefined {
  const running = tasks.find((task) => task.taskHandle === taskHandle);
  if (running !== undefined) return running;
  const ended = tasks
    .filter((task) => task.taskHandle === undefined && (task.startedAt ?? 0) >= startedAt - 60_000)
    .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
  return ended[0];
}
