import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CausesResponse, MessageBody, MessageDetail, MessageSummary } from '../consoleApi.js';
import { describeDeadLetter, groupByCause, summaryOf } from './causeGroups.js';
import { type ScanOptions, scanDeadLetters } from './deadLetterScan.js';

export interface TriageOptions {
  readonly consumerId: string;
  readonly dlqUrl: string;
  readonly fifo: boolean;
  readonly sqs?: SQSClient | undefined;
  /** Bodies kept in this process's memory after a scan, in bytes; beyond it a body is read again on request. */
  readonly bodyBudgetBytes?: number;
  readonly scan?: Pick<ScanOptions, 'concurrency' | 'receiveWaitSeconds' | 'maxMessages' | 'holdSeconds'>;
}

interface Snapshot {
  readonly response: CausesResponse;
  readonly details: ReadonlyMap<string, MessageDetail>;
  readonly bodies: ReadonlyMap<string, string>;
}

/** 64 MiB: a DLQ of 10,000 messages of a few KiB each keeps all of its bodies. */
const DEFAULT_BODY_BUDGET = 64 * 1024 * 1024;

/**
 * One DLQ as the console shows it: the latest scan, grouped by cause, with each message's metadata. Bodies
 * stay in this process (the operator's own machine) and leave it only through `body()`, which the page
 * calls when the operator clicks "Show body". Scans are shared: requests during a scan wait for it.
 */
export class DeadLetterTriage {
  readonly #options: TriageOptions;
  #snapshot: Promise<Snapshot> | undefined;

  constructor(options: TriageOptions) {
    this.#options = options;
  }

  /** The groups of the latest scan; a fresh scan when there is none or `refresh` is asked for. */
  async causes(refresh = false): Promise<CausesResponse> {
    return (await this.#current(refresh)).response;
  }

  async messagesOf(causeId: string, limit: number): Promise<MessageSummary[]> {
    const { details } = await this.#current(false);
    const found: MessageSummary[] = [];
    for (const detail of details.values()) {
      if (found.length >= limit) break;
      if (detail.causeId === causeId) found.push(summaryOf(detail));
    }
    return found;
  }

  async detail(messageId: string): Promise<MessageDetail | undefined> {
    return (await this.#current(false)).details.get(messageId);
  }

  /** A body, on explicit request: from memory, or read again from the DLQ when it was not kept. */
  async body(messageId: string): Promise<MessageBody | undefined> {
    const snapshot = await this.#current(false);
    const kept = snapshot.bodies.get(messageId);
    if (kept !== undefined) return { messageId, body: kept };
    if (!snapshot.details.has(messageId)) return undefined;
    const { messages } = await scanDeadLetters({
      ...this.#options.scan,
      queueUrl: this.#options.dlqUrl,
      sqs: this.#options.sqs,
      stopWhen: (message) => message.messageId === messageId,
    });
    const message = messages.find((candidate) => candidate.messageId === messageId);
    return message === undefined ? undefined : { messageId, body: message.body };
  }

  /** Forget the scan: after an action the DLQ holds something else. */
  invalidate(): void {
    this.#snapshot = undefined;
  }

  #current(refresh: boolean): Promise<Snapshot> {
    if (refresh || this.#snapshot === undefined) {
      const scanning = this.#scan();
      this.#snapshot = scanning;
      // A failed scan is not kept: the next request tries again.
      scanning.catch(() => {
        if (this.#snapshot === scanning) this.#snapshot = undefined;
      });
    }
    return this.#snapshot;
  }

  async #scan(): Promise<Snapshot> {
    const scannedAt = new Date().toISOString();
    const scan = await scanDeadLetters({
      ...this.#options.scan,
      queueUrl: this.#options.dlqUrl,
      sqs: this.#options.sqs,
    });
    const details = new Map<string, MessageDetail>();
    const bodies = new Map<string, string>();
    let budget = this.#options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET;
    for (const message of scan.messages) {
      const detail = describeDeadLetter(message);
      details.set(message.messageId, detail);
      if (detail.bodyBytes <= budget) {
        bodies.set(message.messageId, message.body);
        budget -= detail.bodyBytes;
      }
    }
    return {
      details,
      bodies,
      response: {
        consumerId: this.#options.consumerId,
        dlqUrl: this.#options.dlqUrl,
        fifo: this.#options.fifo,
        scannedAt,
        scanMs: scan.durationMs,
        scanned: scan.messages.length,
        truncated: scan.truncated,
        groups: groupByCause([...details.values()]),
      },
    };
  }
}
