import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  MessageMoveTaskError,
  type RedriveOptions,
  type RedriveProgress,
  redrive,
} from '../../../lib/redrive/index.js';
import { awsError, DLQ_ARN, DLQ_URL, mockSqs, SOURCE_ARN, SOURCE_URL } from '../../helpers/mockSqs.js';
import { recordingLogger } from '../../helpers/recordingLogger.js';

const task = (status: string, moved: number, extra: Record<string, unknown> = {}) => ({
  Results: [
    {
      ...(status === 'RUNNING' ? { TaskHandle: 'task-1' } : {}),
      Status: status,
      SourceArn: DLQ_ARN,
      ApproximateNumberOfMessagesMoved: moved,
      ApproximateNumberOfMessagesToMove: 10,
      StartedTimestamp: Date.now(),
      ...extra,
    },
  ],
});

const run = (sqs: ReturnType<typeof mockSqs>, options: Partial<RedriveOptions> = {}) =>
  redrive({
    dlq: DLQ_URL,
    nativePollIntervalMs: 10,
    receiveWaitSeconds: 0,
    logger: recordingLogger(),
    aws: { sqs: sqs.client },
    ...options,
  });

describe('native strategy (StartMessageMoveTask)', () => {
  it('starts a move task when nothing needs the manual strategy and follows it to completion', async () => {
    const sqs = mockSqs();
    sqs.mock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs.mock.on(ListMessageMoveTasksCommand).resolvesOnce(task('RUNNING', 4)).resolves(task('COMPLETED', 10));
    const progress: RedriveProgress[] = [];
    const report = await run(sqs, { ratePerSecond: 200, onProgress: (update) => progress.push(update) });
    expect(report).toMatchObject({
      strategy: 'native',
      moved: 10,
      stopReason: 'task-completed',
      nativeTask: { taskHandle: 'task-1', status: 'COMPLETED', approximateMessagesToMove: 10 },
    });
    expect(progress.map((update) => update.moved)).toEqual([4, 10]);
    expect(sqs.mock.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: DLQ_ARN,
      MaxNumberOfMessagesPerSecond: 200,
    });
    expect(sqs.mock.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it('sends everything to the source when asked for native with a source', async () => {
    const sqs = mockSqs();
    sqs.mock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs.mock.on(ListMessageMoveTasksCommand).resolves(task('COMPLETED', 10));
    await run(sqs, { strategy: 'native', source: SOURCE_URL });
    expect(sqs.mock.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: DLQ_ARN,
      DestinationArn: SOURCE_ARN,
    });
  });

  it('falls back to the manual strategy, saying why, where the endpoint lacks the API', async () => {
    const sqs = mockSqs();
    sqs.mock.on(StartMessageMoveTaskCommand).rejects(awsError('InvalidAction'));
    const logger = recordingLogger();
    const report = await run(sqs, { logger });
    expect(report.strategy).toBe('manual');
    expect(report.strategyReason).toMatch(
      /does not support StartMessageMoveTask \(InvalidAction: .*\); used the manual strategy/,
    );
    expect(
      logger.lines.some((line) => line.level === 'warn' && /Native redrive unavailable/.test(line.message)),
    ).toBe(true);
    expect(sqs.mock.commandCalls(ReceiveMessageCommand).length).toBeGreaterThan(0);
  });

  it('reports a failed task with its reason', async () => {
    const sqs = mockSqs();
    sqs.mock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs.mock
      .on(ListMessageMoveTasksCommand)
      .resolves(task('FAILED', 3, { FailureReason: 'CouldNotDetermineMessageSource' }));
    expect(await run(sqs)).toMatchObject({
      moved: 3,
      stopReason: 'task-failed',
      nativeTask: { status: 'FAILED', failureReason: 'CouldNotDetermineMessageSource' },
    });
  });

  it('cancels the task when the caller aborts', async () => {
    const sqs = mockSqs();
    sqs.mock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs.mock.on(ListMessageMoveTasksCommand).resolves(task('RUNNING', 2));
    sqs.mock.on(CancelMessageMoveTaskCommand).resolves({ ApproximateNumberOfMessagesMoved: 2 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await run(sqs, { signal: controller.signal })).toMatchObject({ stopReason: 'aborted', moved: 2 });
    expect(sqs.mock.commandCalls(CancelMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      TaskHandle: 'task-1',
    });
  });

  it('leaves the task running when the time budget ends', async () => {
    const sqs = mockSqs();
    sqs.mock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs.mock.on(ListMessageMoveTasksCommand).resolves(task('RUNNING', 2));
    expect(await run(sqs, { timeBudgetMs: 50 })).toMatchObject({
      stopReason: 'task-running',
      nativeTask: { status: 'RUNNING' },
    });
    expect(sqs.mock.commandCalls(CancelMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('says clearly when SQS refuses to start a task (one already runs)', async () => {
    const sqs = mockSqs();
    sqs.mock.on(StartMessageMoveTaskCommand).rejects(awsError('InvalidParameterValue'));
    await expect(run(sqs)).rejects.toThrowError(MessageMoveTaskError);
    await expect(run(sqs)).rejects.toThrowError(/A task may already be running on it \(one per queue\)/);
  });
});
