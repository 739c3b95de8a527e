import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  type Message,
  type MessageAttributeValue,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { BatchProcessor } from '../../lib/index.js';
import { deletedIds, interpretBatchResponse } from '../../local/eventSourceMapping/interpretBatchResponse.js';
import { lambdaRecordFromMessage } from '../../local/eventSourceMapping/lambdaRecordFromMessage.js';
import { lambdaContext } from './lambdaContext.js';

/**
 * A small executable SQS for the attempt tests: standard and FIFO queues with visibility timeouts,
 * per-message delays, receive counts, a redrive policy to a DLQ, and the event source mapping's
 * ReportBatchItemFailures rules (docs/aws-semantics.md). Unlike the embedded server it hands out several
 * messages of one FIFO group per receive, as AWS does. Time is the (faked) `Date.now()`, which tests
 * move forward; the runtime's SQS calls reach it through `client`, an SDK client whose answers it serves.
 */
export interface SimulatedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
  readonly groupId: string | undefined;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
  receiptHandle: string | undefined;
}

export interface QueueSettings {
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  /** The redrive policy's maxReceiveCount; none: no redrive policy. */
  readonly maxReceiveCount?: number;
}

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

export class SimulatedQueue {
  readonly messages: SimulatedMessage[] = [];
  /** Messages its redrive policy moved to the DLQ, by id. */
  readonly movedByPolicy: string[] = [];
  readonly url: string;
  readonly arn: string;

  constructor(
    readonly name: string,
    readonly settings: QueueSettings,
    readonly deadLetterQueue?: SimulatedQueue,
  ) {
    this.url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
    this.arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
  }

  send(
    body: string,
    options: {
      attributes?: Record<string, MessageAttributeValue>;
      groupId?: string;
      delaySeconds?: number;
    } = {},
  ): string {
    const now = Date.now();
    const messageId = randomUUID();
    this.messages.push({
      messageId,
      body,
      attributes: options.attributes ?? {},
      groupId: options.groupId,
      sentAt: now,
      visibleAt: now + (options.delaySeconds ?? 0) * 1_000,
      receiveCount: 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
    });
    return messageId;
  }

  /**
   * One ReceiveMessage: visible messages in send order; on a FIFO queue only from groups with nothing in
   * flight, at most `perGroup` of each, never past an invisible one of its group. A message received more
   * often than the redrive policy allows goes to the DLQ instead.
   */
  receive(max: number, perGroup = max): SimulatedMessage[] {
    const now = Date.now();
    const received: SimulatedMessage[] = [];
    const blocked = new Set<string>();
    const taken = new Map<string, number>();
    if (this.settings.fifo) {
      for (const message of this.messages)
        if (message.visibleAt > now && message.groupId !== undefined) blocked.add(message.groupId);
    }
    for (const message of [...this.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      const group = message.groupId ?? '';
      if (this.settings.fifo && blocked.has(group)) continue;
      if ((taken.get(group) ?? 0) >= perGroup) {
        blocked.add(group);
        continue;
      }
      const limit = this.settings.maxReceiveCount;
      if (limit !== undefined && message.receiveCount >= limit && this.deadLetterQueue !== undefined) {
        this.#remove(message);
        this.movedByPolicy.push(message.messageId);
        this.deadLetterQueue.messages.push({ ...message, visibleAt: now, receiptHandle: undefined });
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.settings.visibilityTimeoutSeconds * 1_000;
      message.receiptHandle = randomUUID();
      taken.set(group, (taken.get(group) ?? 0) + 1);
      received.push(message);
    }
    return received;
  }

  deleteByReceipt(receiptHandle: string): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (message === undefined) return false;
    this.#remove(message);
    return true;
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const message = this.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (message === undefined) return false;
    message.visibleAt = Date.now() + seconds * 1_000;
    return true;
  }

  /** As ReceiveMessage returns it, with every system attribute. */
  asReceived(message: SimulatedMessage): Message {
    return {
      MessageId: message.messageId,
      ReceiptHandle: message.receiptHandle,
      Body: message.body,
      MessageAttributes: message.attributes,
      Attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
        SenderId: 'AROASIMULATED:producer',
        ...(message.groupId === undefined
          ? {}
          : { MessageGroupId: message.groupId, MessageDeduplicationId: message.messageId }),
      },
    };
  }

  #remove(message: SimulatedMessage): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }
}

/**
 * How a turn ends: as the function returned; killed at its n-th SQS call (served, never answered: the
 * process died waiting); or killed after it finished, before Lambda saw its result.
 */
export type TurnEnd =
  | { readonly kill?: undefined }
  | { readonly kill: { readonly atCall: number } }
  | { readonly kill: 'before-return' };

export class QueueSimulator {
  readonly client: SQSClient;
  readonly queues = new Map<string, SimulatedQueue>();
  /** SQS calls the runtime made, by operation. */
  readonly calls: string[] = [];
  #killAt: number | undefined;
  #onKill: (() => void) | undefined;

  constructor() {
    this.client = new SQSClient({ region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const mock = mockClient(this.client);
    mock.on(SendMessageBatchCommand).callsFake((input) =>
      this.#call('SendMessageBatch', () => {
        const queue = this.#queue(input.QueueUrl);
        return {
          Successful: input.Entries.map(
            (entry: {
              Id: string;
              MessageBody: string;
              MessageAttributes?: Record<string, MessageAttributeValue>;
              MessageGroupId?: string;
              DelaySeconds?: number;
            }) => ({
              Id: entry.Id,
              MessageId: queue.send(entry.MessageBody, {
                ...(entry.MessageAttributes === undefined ? {} : { attributes: entry.MessageAttributes }),
                ...(entry.MessageGroupId === undefined ? {} : { groupId: entry.MessageGroupId }),
                ...(entry.DelaySeconds === undefined ? {} : { delaySeconds: entry.DelaySeconds }),
              }),
            }),
          ),
          Failed: [],
        };
      }),
    );
    mock.on(ChangeMessageVisibilityBatchCommand).callsFake((input) =>
      this.#call('ChangeMessageVisibilityBatch', () => {
        const queue = this.#queue(input.QueueUrl);
        const entries = input.Entries as { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[];
        return {
          Successful: entries
            .filter((entry) => queue.changeVisibility(entry.ReceiptHandle, entry.VisibilityTimeout))
            .map((entry) => ({ Id: entry.Id })),
          Failed: entries
            .filter(
              (entry) => !queue.messages.some((message) => message.receiptHandle === entry.ReceiptHandle),
            )
            .map((entry) => ({ Id: entry.Id, Code: 'ReceiptHandleIsInvalid', SenderFault: true })),
        };
      }),
    );
  }

  createQueue(name: string, settings: QueueSettings, deadLetterQueue?: SimulatedQueue): SimulatedQueue {
    const queue = new SimulatedQueue(settings.fifo ? `${name}.fifo` : name, settings, deadLetterQueue);
    this.queues.set(queue.url, queue);
    return queue;
  }

  /**
   * One turn of the event source mapping: receive a batch, invoke, and delete what the response does not
   * list. A killed invocation reports nothing (its calls before the kill took effect): everything in the
   * batch comes back after the visibility timeout. Returns the batch's message ids, none when empty.
   */
  async poll(
    queue: SimulatedQueue,
    processor: BatchProcessor,
    options: { batchSize: number; perGroup?: number; timeoutMs?: number; end?: TurnEnd },
  ): Promise<string[]> {
    const messages = queue.receive(options.batchSize, options.perGroup);
    if (messages.length === 0) return [];
    const ids = messages.map((message) => message.messageId);
    const event = {
      Records: messages.map((message) =>
        lambdaRecordFromMessage(queue.asReceived(message), queue.arn, REGION),
      ),
    };
    const kill = options.end?.kill;
    const killAt = typeof kill === 'object' ? kill.atCall : undefined;
    const killed = new Promise<'killed'>((resolve) => {
      this.#onKill = () => resolve('killed');
    });
    this.#killAt = killAt === undefined ? undefined : this.calls.length + killAt;
    const result = await Promise.race([
      processor(event, lambdaContext(options.timeoutMs ?? 30_000)),
      ...(killAt === undefined ? [] : [killed]),
    ]);
    this.#killAt = undefined;
    if (result === 'killed' || kill === 'before-return') return ids;
    const verdict = interpretBatchResponse(result.response, ids);
    for (const id of deletedIds(verdict, ids)) {
      const message = messages.find((candidate) => candidate.messageId === id);
      if (message?.receiptHandle !== undefined) queue.deleteByReceipt(message.receiptHandle);
    }
    return ids;
  }

  /** Serves a call, unless the invocation is to be killed at it: then served, and never answered. */
  #call<T>(operation: string, serve: () => T): T | Promise<T> {
    this.calls.push(operation);
    const answer = serve();
    if (this.#killAt !== undefined && this.calls.length >= this.#killAt) {
      this.#onKill?.();
      return new Promise<T>(() => {});
    }
    return answer;
  }

  #queue(url: string): SimulatedQueue {
    const queue = this.queues.get(url);
    if (queue === undefined) throw new Error(`no simulated queue at ${url}`);
    return queue;
  }
}
