import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCallPolicy } from './awsCallPolicy.js';
import { sqsClient, sqsCommands } from './awsClients.js';
import { retryAwsCall } from './retryAwsCall.js';

/**
 * SQS's native redrive (StartMessageMoveTask / ListMessageMoveTasks / CancelMessageMoveTask). Endpoints
 * that do not implement it (fauxqs, some LocalStack versions) fail with an error that
 * `isUnsupportedOperationError` recognises.
 */

export type MessageMoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

export interface MessageMoveTask {
  /** Only listed while the task is RUNNING (docs/aws-semantics.md#message-move-task-status). */
  readonly taskHandle: string | undefined;
  readonly status: MessageMoveTaskStatus;
  readonly sourceArn: string | undefined;
  readonly destinationArn: string | undefined;
  readonly approximateMessagesMoved: number;
  /** Known once the task has started; the DLQ depth when it did. */
  readonly approximateMessagesToMove: number | undefined;
  readonly failureReason: string | undefined;
  /** Epoch ms. */
  readonly startedAt: number | undefined;
}

export interface StartMoveTaskRequest {
  readonly sourceArn: string;
  /** Unset: every message goes back to the queue it was dead-lettered from. */
  readonly destinationArn?: string | undefined;
  /** At most 500; unset lets SQS choose. */
  readonly maxMessagesPerSecond?: number | undefined;
}

export async function startMessageMoveTask(
  request: StartMoveTaskRequest,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<string> {
  const [sqs, { StartMessageMoveTaskCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  const response = await retryAwsCall(
    (abortSignal) =>
      sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: request.sourceArn,
          ...(request.destinationArn === undefined ? {} : { DestinationArn: request.destinationArn }),
          ...(request.maxMessagesPerSecond === undefined
            ? {}
            : { MaxNumberOfMessagesPerSecond: request.maxMessagesPerSecond }),
        }),
        { abortSignal },
      ),
    policy,
  );
  return response.TaskHandle as string;
}

/** The most recent move tasks of a DLQ, newest first. */
export async function listMessageMoveTasks(
  sourceArn: string,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<MessageMoveTask[]> {
  const [sqs, { ListMessageMoveTasksCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  const response = await retryAwsCall(
    (abortSignal) =>
      sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 10 }), { abortSignal }),
    policy,
  );
  return (response.Results ?? []).map((task) => ({
    taskHandle: task.TaskHandle,
    status: (task.Status ?? 'FAILED') as MessageMoveTaskStatus,
    sourceArn: task.SourceArn,
    destinationArn: task.DestinationArn,
    approximateMessagesMoved: task.ApproximateNumberOfMessagesMoved ?? 0,
    approximateMessagesToMove: task.ApproximateNumberOfMessagesToMove,
    failureReason: task.FailureReason,
    startedAt: task.StartedTimestamp,
  }));
}

export async function cancelMessageMoveTask(
  taskHandle: string,
  policy: AwsCallPolicy,
  client?: SQSClient,
): Promise<void> {
  const [sqs, { CancelMessageMoveTaskCommand }] = await Promise.all([sqsClient(client), sqsCommands()]);
  await retryAwsCall(
    (abortSignal) => sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle }), { abortSignal }),
    policy,
  );
}
