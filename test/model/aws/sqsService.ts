import {
  ChangeMessageVisibilityBatchCommand,
  type ChangeMessageVisibilityBatchCommandInput,
  DeleteMessageBatchCommand,
  type DeleteMessageBatchCommandInput,
  GetQueueAttributesCommand,
  type GetQueueAttributesCommandInput,
  GetQueueUrlCommand,
  type GetQueueUrlCommandInput,
  ListQueueTagsCommand,
  type ListQueueTagsCommandInput,
  type Message,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  TagQueueCommand,
  type TagQueueCommandInput,
} from '@aws-sdk/client-sqs';
import { type AwsModel, type CallContext, serviceError } from './awsModel.js';
import { ModelQueue, md5, type OutgoingEntry, type QueueSettings, type StoredMessage } from './modelQueue.js';
import { handleBatchProblems, receiveProblems, sendMessageBatchProblems } from './requestLimits.js';

/** What the rest of the model hears from SQS: every message that enters or leaves a queue, and why. */
export interface SqsObserver {
  sent(queue: ModelQueue, message: StoredMessage, by: string): void;
  received(queue: ModelQueue, messages: readonly StoredMessage[], by: string): void;
  deleted(queue: ModelQueue, message: StoredMessage, by: string): void;
  movedByPolicy(from: ModelQueue, to: ModelQueue, message: StoredMessage): void;
  expired(queue: ModelQueue, message: StoredMessage): void;
}

export interface SqsClock {
  now(): number;
  random(): number;
  sleep(ms: number): Promise<void>;
  /** A request SQS refuses for breaking a limit the product must keep (the 12-hour visibility ceiling). */
  violation?(invariant: string, message: string): void;
}

/** The SQS service: the queues of one account and region, and the API operations the product uses. */
export class SqsService {
  readonly queues = new Map<string, ModelQueue>();
  readonly tags = new Map<string, Record<string, string>>();
  readonly #observer: SqsObserver;
  readonly #clock: SqsClock;
  #ids = 0;

  constructor(observer: SqsObserver, clock: SqsClock) {
    this.#observer = observer;
    this.#clock = clock;
  }

  createQueue(settings: QueueSettings): ModelQueue {
    const short = settings.name.replace(/[^a-z]/gi, '').slice(-6);
    const queue = new ModelQueue(settings, () => `${short}-${String(++this.#ids).padStart(6, '0')}`);
    this.queues.set(settings.url, queue);
    this.tags.set(settings.url, {});
    return queue;
  }

  byUrl(url: string | undefined): ModelQueue {
    const queue = url === undefined ? undefined : this.queues.get(url);
    if (queue === undefined)
      throw serviceError('AWS.SimpleQueueService.NonExistentQueue', `no queue ${url}`, 'client');
    return queue;
  }

  byArn(arn: string): ModelQueue | undefined {
    return [...this.queues.values()].find((queue) => queue.settings.arn === arn);
  }

  /** A producer's send (outside the product): straight into the queue. */
  send(queue: ModelQueue, entry: OutgoingEntry, by: string): StoredMessage | undefined {
    const result = queue.send(entry, this.#clock.now());
    if (result.kind === 'duplicate') return undefined;
    this.#observer.sent(queue, result.message, by);
    return result.message;
  }

  /** ReceiveMessage as the event source mapping does it (the queue's own visibility timeout). */
  receive(queue: ModelQueue, max: number, by: string, visibilityTimeoutSeconds?: number): StoredMessage[] {
    this.expire();
    const now = this.#clock.now();
    const received = queue.receive(
      max,
      visibilityTimeoutSeconds ?? queue.settings.visibilityTimeoutSeconds,
      now,
      (message) => this.#moveByPolicy(queue, message),
      (candidates) => this.#shuffle(candidates),
    );
    if (received.length > 0) this.#observer.received(queue, received, by);
    return received;
  }

  delete(queue: ModelQueue, receiptHandle: string, by: string): boolean {
    const { result, message } = queue.delete(receiptHandle);
    if (result === 'done' && message !== undefined) this.#observer.deleted(queue, message, by);
    return result === 'done';
  }

  /** Retention: SQS deletes messages older than their queue's retention period. */
  expire(): void {
    const now = this.#clock.now();
    for (const queue of this.queues.values())
      for (const message of queue.expire(now)) this.#observer.expired(queue, message);
  }

  registerOperations(aws: AwsModel): void {
    aws.register<SendMessageBatchCommandInput>(SendMessageBatchCommand, {
      name: 'SQS.SendMessageBatch',
      entryIds: (input) => (input.Entries ?? []).map((entry) => entry.Id ?? ''),
      problems: (input) =>
        sendMessageBatchProblems(input.Entries ?? [], this.byUrl(input.QueueUrl).settings.fifo),
      serve: (input, call) => this.#sendBatch(input, call),
    });
    aws.register<ReceiveMessageCommandInput>(ReceiveMessageCommand, {
      name: 'SQS.ReceiveMessage',
      problems: receiveProblems,
      serve: (input, call) => this.#receiveForApi(input, call),
    });
    aws.register<DeleteMessageBatchCommandInput>(DeleteMessageBatchCommand, {
      name: 'SQS.DeleteMessageBatch',
      entryIds: (input) => (input.Entries ?? []).map((entry) => entry.Id ?? ''),
      problems: (input) => handleBatchProblems('DeleteMessageBatch', input.Entries ?? []),
      serve: (input, call) => {
        const queue = this.byUrl(input.QueueUrl);
        const successful = [];
        for (const entry of input.Entries ?? []) {
          if (call.failedEntries.has(entry.Id ?? '')) continue;
          this.delete(queue, entry.ReceiptHandle ?? '', call.caller.label);
          successful.push({ Id: entry.Id });
        }
        return { Successful: successful, Failed: [] };
      },
    });
    aws.register<ChangeMessageVisibilityBatchCommandInput>(ChangeMessageVisibilityBatchCommand, {
      name: 'SQS.ChangeMessageVisibilityBatch',
      entryIds: (input) => (input.Entries ?? []).map((entry) => entry.Id ?? ''),
      problems: (input) => handleBatchProblems('ChangeMessageVisibilityBatch', input.Entries ?? []),
      serve: (input, call) => {
        const queue = this.byUrl(input.QueueUrl);
        const successful = [];
        const failed = [];
        for (const entry of input.Entries ?? []) {
          if (call.failedEntries.has(entry.Id ?? '')) continue;
          const result = queue.changeVisibility(
            entry.ReceiptHandle ?? '',
            entry.VisibilityTimeout ?? 0,
            this.#clock.now(),
          );
          if (result === 'done') successful.push({ Id: entry.Id });
          else
            failed.push({
              Id: entry.Id,
              Code:
                result === 'too-long'
                  ? 'InvalidParameterValue'
                  : result === 'stale'
                    ? 'ReceiptHandleIsInvalid'
                    : 'MessageNotInflight',
              Message: `visibility not changed (${result})`,
              SenderFault: true,
            });
        }
        return { Successful: successful, Failed: failed };
      },
    });
    aws.register<GetQueueAttributesCommandInput>(GetQueueAttributesCommand, {
      name: 'SQS.GetQueueAttributes',
      serve: (input) => {
        this.expire();
        const queue = this.byUrl(input.QueueUrl);
        const now = this.#clock.now();
        const visible = queue.messages.filter((message) => message.visibleAt <= now).length;
        return {
          Attributes: {
            QueueArn: queue.settings.arn,
            ApproximateNumberOfMessages: String(visible),
            ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
            VisibilityTimeout: String(queue.settings.visibilityTimeoutSeconds),
            ...(queue.settings.fifo ? { FifoQueue: 'true' } : {}),
          },
        };
      },
    });
    aws.register<GetQueueUrlCommandInput>(GetQueueUrlCommand, {
      name: 'SQS.GetQueueUrl',
      serve: (input) => {
        const queue = [...this.queues.values()].find(
          (candidate) => candidate.settings.name === input.QueueName,
        );
        if (queue === undefined)
          throw serviceError(
            'AWS.SimpleQueueService.NonExistentQueue',
            `no queue ${input.QueueName}`,
            'client',
          );
        return { QueueUrl: queue.settings.url };
      },
    });
    aws.register<ListQueueTagsCommandInput>(ListQueueTagsCommand, {
      name: 'SQS.ListQueueTags',
      serve: (input) => ({ Tags: { ...this.tags.get(this.byUrl(input.QueueUrl).settings.url) } }),
    });
    aws.register<TagQueueCommandInput>(TagQueueCommand, {
      name: 'SQS.TagQueue',
      serve: (input) => {
        const url = this.byUrl(input.QueueUrl).settings.url;
        this.tags.set(url, { ...this.tags.get(url), ...input.Tags });
        return {};
      },
    });
  }

  #sendBatch(input: SendMessageBatchCommandInput, call: CallContext) {
    const queue = this.byUrl(input.QueueUrl);
    const successful = [];
    for (const entry of input.Entries ?? []) {
      if (call.failedEntries.has(entry.Id ?? '')) continue;
      const result = queue.send(
        {
          body: entry.MessageBody ?? '',
          attributes: entry.MessageAttributes,
          delaySeconds: entry.DelaySeconds,
          groupId: entry.MessageGroupId,
          deduplicationId: entry.MessageDeduplicationId,
          traceHeader: entry.MessageSystemAttributes?.AWSTraceHeader?.StringValue,
        },
        this.#clock.now(),
      );
      if (result.kind === 'sent') this.#observer.sent(queue, result.message, call.caller.label);
      const messageId = result.kind === 'sent' ? result.message.messageId : result.messageId;
      successful.push({ Id: entry.Id, MessageId: messageId, MD5OfMessageBody: md5(entry.MessageBody ?? '') });
    }
    return { Successful: successful, Failed: [] };
  }

  async #receiveForApi(input: ReceiveMessageCommandInput, call: CallContext) {
    const queue = this.byUrl(input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    let received = this.receive(queue, max, call.caller.label, input.VisibilityTimeout);
    // Long polling: an empty queue answers when a message arrives or the wait ends; the model checks once
    // more at the end of the wait.
    if (received.length === 0 && (input.WaitTimeSeconds ?? 0) > 0) {
      await this.#clock.sleep((input.WaitTimeSeconds ?? 0) * 1_000);
      if (call.caller.isDead()) return { Messages: [] };
      received = this.receive(queue, max, call.caller.label, input.VisibilityTimeout);
    }
    return { Messages: received.map((message) => apiMessage(message)) };
  }

  #moveByPolicy(from: ModelQueue, message: StoredMessage): void {
    const policy = from.settings.redrivePolicy;
    const target = policy === undefined ? undefined : this.byArn(policy.deadLetterTargetArn);
    if (target === undefined)
      throw new Error(`the redrive policy of ${from.settings.name} names no model queue`);
    const moved = target.acceptMove(message, from.settings.arn, this.#clock.now());
    this.#observer.movedByPolicy(from, target, moved);
  }

  /** Standard queues give no order: a seeded shuffle of what is visible. */
  #shuffle(messages: StoredMessage[]): StoredMessage[] {
    const copy = [...messages];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = Math.floor(this.#clock.random() * (index + 1));
      [copy[index], copy[other]] = [copy[other] as StoredMessage, copy[index] as StoredMessage];
    }
    return copy;
  }
}

/** A stored message as ReceiveMessage returns it (all system attributes, all message attributes). */
export function apiMessage(message: StoredMessage): Message {
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    Body: message.body,
    MD5OfBody: md5(message.body),
    MessageAttributes: message.attributes,
    Attributes: systemAttributes(message),
  };
}

export function systemAttributes(message: StoredMessage): Record<string, string> {
  return {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    SenderId: 'AIDAMODEL',
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
    ...(message.deduplicationId === undefined ? {} : { MessageDeduplicationId: message.deduplicationId }),
    ...(message.sequenceNumber === undefined ? {} : { SequenceNumber: message.sequenceNumber }),
    ...(message.traceHeader === undefined ? {} : { AWSTraceHeader: message.traceHeader }),
    ...(message.deadLetterQueueSourceArn === undefined
      ? {}
      : { DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn }),
  };
}
