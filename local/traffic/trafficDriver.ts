import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type FaultMix, faultAttribute, type MessageFault } from './faultMix.js';

export interface DemoMessage {
  readonly taskId: string;
  readonly fault: MessageFault | undefined;
}

/** A small deterministic generator, so `--seed` reproduces a run's fault assignment. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Picks each message's fault by the mix: a message falls in at most one fault's share. */
export function planMessages(count: number, mix: FaultMix, random: () => number): DemoMessage[] {
  const bands = Object.entries(mix.messages) as [MessageFault, number][];
  return Array.from({ length: count }, (_, index) => {
    let draw = random();
    let fault: MessageFault | undefined;
    for (const [kind, share] of bands) {
      if (draw < share) {
        fault = kind;
        break;
      }
      draw -= share;
    }
    return { taskId: `task-${String(index + 1).padStart(6, '0')}`, fault };
  });
}

/**
 * Sends the demo task messages, 10 per call: as fast as a few calls at a time allow, or spread evenly at
 * `ratePerSecond`, so that traffic keeps arriving through an outage and after it, as it does in production.
 */
export async function sendMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly DemoMessage[],
  options: {
    functionTimeoutSeconds: number;
    fifo: boolean;
    ratePerSecond?: number | undefined;
    onSent?: (count: number) => void;
  },
): Promise<void> {
  const batches: DemoMessage[][] = [];
  for (let start = 0; start < messages.length; start += 10) batches.push(messages.slice(start, start + 10));
  const startedAt = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < batches.length) {
      const index = next++;
      const batch = batches[index] as DemoMessage[];
      if (options.ratePerSecond !== undefined) {
        const due = startedAt + ((index * 10) / options.ratePerSecond) * 1_000;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      }
      const { Failed = [] } = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: demoBody(message.taskId),
            MessageAttributes: faultAttributes(message, options.functionTimeoutSeconds),
            ...(options.fifo
              ? {
                  MessageGroupId: `group-${message.taskId.slice(-1)}`,
                  MessageDeduplicationId: message.taskId,
                }
              : {}),
          })),
        }),
      );
      if (Failed.length > 0)
        throw new Error(`The local server refused ${Failed.length} demo messages: ${Failed[0]?.Message}`);
      options.onSent?.(batch.length);
    }
  };
  await Promise.all(Array.from({ length: options.ratePerSecond === undefined ? 8 : 1 }, lane));
}

/** The body of a demo task: the task id the run follows it by, and nothing a consumer must keep secret. */
function demoBody(taskId: string): string {
  return JSON.stringify({ taskId, kind: 'demo', payload: { createdAt: Date.now() } });
}

/** The `fault` attribute the worker's fault injection reads, when the task has one. */
function faultAttributes(message: DemoMessage, functionTimeoutSeconds: number) {
  return message.fault === undefined
    ? undefined
    : { fault: { DataType: 'String', StringValue: faultAttribute(message.fault, functionTimeoutSeconds) } };
}

/**
 * The fan-out topology's producer: publishes the tasks to the topic the work queue is subscribed to, 10 per
 * call, each with the attribute `kind` the subscription's filter policy admits (`taskKind`) and its fault; and,
 * between them, `ignored` messages of another kind, which the filter policy must keep out of the queue.
 */
export async function publishMessages(
  sns: SNSClient,
  topicArn: string,
  messages: readonly DemoMessage[],
  options: {
    functionTimeoutSeconds: number;
    fifo: boolean;
    taskKind: string;
    ignored: number;
    ratePerSecond?: number | undefined;
  },
): Promise<void> {
  const entries = [
    ...messages.map((message) => ({
      body: demoBody(message.taskId),
      groupId: `group-${message.taskId.slice(-1)}`,
      attributes: {
        kind: { DataType: 'String', StringValue: options.taskKind },
        ...faultAttributes(message, options.functionTimeoutSeconds),
      },
    })),
    ...Array.from({ length: options.ignored }, (_, index) => ({
      body: demoBody(`${IGNORED_PREFIX}${String(index + 1).padStart(6, '0')}`),
      groupId: 'ignored',
      attributes: { kind: { DataType: 'String', StringValue: 'audit' } },
    })),
  ];
  const startedAt = Date.now();
  for (let start = 0; start < entries.length; start += 10) {
    if (options.ratePerSecond !== undefined) {
      const due = startedAt + (start / options.ratePerSecond) * 1_000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
    const batch = entries.slice(start, start + 10);
    const { Failed = [] } = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: batch.map((entry, index) => ({
          Id: String(index),
          Message: entry.body,
          MessageAttributes: entry.attributes,
          ...(options.fifo
            ? { MessageGroupId: entry.groupId, MessageDeduplicationId: `${start + index}` }
            : {}),
        })),
      }),
    );
    if (Failed.length > 0)
      throw new Error(`The local server refused ${Failed.length} demo publishes: ${Failed[0]?.Message}`);
  }
}

/** Task ids of the messages the fan-out subscription's filter policy must keep out. */
export const IGNORED_PREFIX = 'ignored-';
