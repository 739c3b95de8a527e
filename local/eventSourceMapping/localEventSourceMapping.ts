import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { SqsRecord } from '../../lib/index.js';
import type { InvocationOutcome, LocalFunction } from '../lambda/localFunction.js';
import type { EventSourceMappingSpec } from '../provision/localResources.js';
import { type BatchVerdict, INVOCATION_FAILED, interpretBatchResponse } from './interpretBatchResponse.js';
import { lambdaRecordFromMessage } from './lambdaRecordFromMessage.js';
import { receiveBatch } from './receiveBatch.js';
import { settleBatch } from './settleBatch.js';

/**
 * How long a poller's receive waits for messages, in real seconds (Lambda's pollers wait up to 20 s of AWS
 * time). Short, so that a mapping disabled or stopped lets go of its pollers at once.
 */
export const POLL_WAIT_SECONDS = 1;

/** What one turn of the mapping did, for the ledger, metrics and progress. */
export interface BatchTurn {
  readonly mapping: EventSourceMappingSpec;
  readonly records: readonly SqsRecord[];
  /**
   * Epoch ms the batch was handed to the function, and the result came back: an execution environment
   * starting up for it (a cold start) is part of that time, not of `outcome.durationMs`.
   */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly outcome: InvocationOutcome;
  readonly verdict: BatchVerdict;
  readonly deleted: number;
}

export interface MappingStats {
  batches: number;
  records: number;
  deleted: number;
  fullFailures: number;
  invalidResponses: number;
}

/** What UpdateEventSourceMapping may change locally, by the spec's own names: each field left out stays. */
export type MappingChange = {
  readonly [K in
    | 'enabled'
    | 'maximumConcurrency'
    | 'batchSize'
    | 'batchingWindowSeconds'
    | 'reportBatchItemFailures']?: EventSourceMappingSpec[K] | undefined;
};

/**
 * An SQS event source mapping run locally (docs/aws-semantics.md#event-source-mapping and
 * docs/aws-semantics.md#report-batch-item-failures): pollers up to the maximum concurrency gather batches
 * (batch size, batching window, 6 MB), invoke the function, and delete exactly what Lambda would delete:
 * everything on success, nothing when the function throws, times out or returns an invalid response, the
 * unlisted records on a valid partial response. FIFO ordering comes from the queue itself, which hands out no
 * further messages of a group while one is in flight.
 */
export class LocalEventSourceMapping {
  /** As deployed, then as UpdateEventSourceMapping changed it; pollers read it on every receive. */
  #spec: EventSourceMappingSpec;
  readonly stats: MappingStats = { batches: 0, records: 0, deleted: 0, fullFailures: 0, invalidResponses: 0 };
  readonly #defaultConcurrency: number;
  #lastModified = Date.now();
  readonly #sqs: SQSClient;
  readonly #fn: LocalFunction;
  readonly #onTurn: (turn: BatchTurn) => void;
  readonly #onChange: ((enabled: boolean) => void) | undefined;
  readonly #pollers = new Set<Promise<void>>();
  #stopping = new AbortController();
  #running = false;
  /** Pollers running and not yet retired; decremented synchronously so a scale-down retires exactly the surplus. */
  #active = 0;
  readonly #inTurn = new Map<string, number>();

  constructor(
    spec: EventSourceMappingSpec,
    fn: LocalFunction,
    sqs: SQSClient,
    options: {
      defaultConcurrency: number;
      onTurn: (turn: BatchTurn) => void;
      onChange?: (enabled: boolean) => void;
    },
  ) {
    this.#spec = spec;
    this.#fn = fn;
    this.#sqs = sqs;
    this.#defaultConcurrency = options.defaultConcurrency;
    this.#onTurn = options.onTurn;
    this.#onChange = options.onChange;
  }

  get enabled(): boolean {
    return this.#spec.enabled;
  }

  get concurrency(): number {
    return this.#spec.maximumConcurrency ?? this.#defaultConcurrency;
  }

  /**
   * The SQS message ids a turn holds, each with when it was received (epoch ms): received for a batch being
   * gathered, or in the invocation working on it. Invisible because they are being handled, unlike the
   * messages a failed turn left invisible (a redelivery backoff).
   */
  get messagesInTurn(): ReadonlyMap<string, number> {
    return this.#inTurn;
  }

  /** Epoch ms of the last change (UpdateEventSourceMapping reports it as LastModified). */
  get lastModified(): number {
    return this.#lastModified;
  }

  get spec(): EventSourceMappingSpec {
    return this.#spec;
  }

  /**
   * UpdateEventSourceMapping: enable or disable polling, change the maximum concurrency, the batch size,
   * the batching window, or partial batch responses (from the next receive on). The spec stays the one
   * truth: `enabled` and `concurrency` read it.
   */
  update(change: MappingChange): void {
    const wasEnabled = this.#spec.enabled;
    const given = Object.entries(change).filter(([, value]) => value !== undefined);
    this.#spec = { ...this.#spec, ...Object.fromEntries(given) };
    if (this.#spec.enabled !== wasEnabled) this.#onChange?.(this.#spec.enabled);
    this.#lastModified = Date.now();
    if (this.#running) this.#scale();
  }

  start(): void {
    this.#running = true;
    this.#stopping = new AbortController();
    this.#scale();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping.abort();
    await Promise.allSettled([...this.#pollers]);
  }

  #wanted(): number {
    return this.enabled ? this.concurrency : 0;
  }

  #scale(): void {
    while (this.#active < this.#wanted()) {
      this.#active += 1;
      const poller: Promise<void> = this.#poll().finally(() => this.#pollers.delete(poller));
      this.#pollers.add(poller);
    }
  }

  async #poll(): Promise<void> {
    while (this.#running) {
      if (this.#active > this.#wanted()) break;
      const turn: string[] = [];
      try {
        let messages: Message[];
        try {
          messages = await receiveBatch(this.#sqs, {
            queueUrl: this.spec.queue.url,
            batchSize: this.spec.batchSize,
            waitSeconds: POLL_WAIT_SECONDS,
            batchingWindowSeconds: this.spec.batchingWindowSeconds,
            signal: this.#stopping.signal,
            onReceived: (received) => {
              const now = Date.now();
              for (const { MessageId } of received) {
                if (MessageId === undefined) continue;
                turn.push(MessageId);
                this.#inTurn.set(MessageId, now);
              }
            },
          });
        } catch {
          if (!this.#running) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
        if (messages.length === 0) continue;
        await this.#invoke(messages);
      } finally {
        for (const id of turn) this.#inTurn.delete(id);
      }
    }
    this.#active -= 1;
  }

  async #invoke(messages: readonly Message[]): Promise<void> {
    const { queue } = this.spec;
    const records = messages.map((message) =>
      lambdaRecordFromMessage(message, queue.arn, queue.arn.split(':')[3] ?? 'us-east-1'),
    );
    const startedAt = Date.now();
    const outcome = await this.#fn.invoke({ Records: records });
    const finishedAt = Date.now();
    const ids = records.map((record) => record.messageId);
    let verdict: BatchVerdict;
    if (outcome.status !== 'ok') verdict = INVOCATION_FAILED;
    else if (!this.spec.reportBatchItemFailures) verdict = { kind: 'success' };
    else verdict = interpretBatchResponse(outcome.result, ids);
    // A throttled invocation leaves the batch in flight until its visibility timeout, like any failure.
    const deleted = await settleBatch(this.#sqs, queue.url, messages, verdict);
    this.stats.batches += 1;
    this.stats.records += records.length;
    this.stats.deleted += deleted;
    if (verdict.kind === 'failure') {
      this.stats.fullFailures += 1;
      if (outcome.status === 'ok') this.stats.invalidResponses += 1;
    }
    this.#onTurn({ mapping: this.spec, records, startedAt, finishedAt, outcome, verdict, deleted });
  }
}
