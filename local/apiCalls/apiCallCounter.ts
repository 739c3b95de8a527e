/** Who made an AWS call, as the local runtime tells them apart. */
export type ApiCaller =
  /** The template's functions (through the proxy, the DynamoDB proxy, the local Lambda and CloudWatch APIs). */
  | 'functions'
  /** Lambda's SQS pollers: the mappings' receives, deletes and releases (docs/aws-semantics.md#sqs-request-billing). */
  | 'event-source-mapping'
  /** Traffic sent into the stack from outside (a test, a benchmark's producer). */
  | 'producer';

/** One AWS API request, named as the service's API reference names it. */
export interface ApiRequest {
  /** The signing name of the service: `sqs`, `sns`, `dynamodb`, `lambda`, `monitoring` (CloudWatch). */
  readonly service: string;
  /** The operation: `SendMessageBatch`, `Publish`, `PutItem`, `Invoke`, `DescribeAlarms`. */
  readonly action: string;
  /** Entries the request carries (a batch's entries, a BatchWriteItem's items); 1 for a single-item call. */
  readonly entries: number;
  /** Size of the request body in bytes. */
  readonly bytes: number;
}

/** What one caller sent to one operation, summed. */
export interface ApiCallTally {
  readonly caller: ApiCaller;
  readonly service: string;
  readonly action: string;
  readonly calls: number;
  readonly entries: number;
  readonly bytes: number;
  /**
   * ReceiveMessage only: long polls (WaitTimeSeconds > 0) that returned no message. Their number depends on
   * the poll wait, which the runtime does not compress like the rest of time.
   */
  readonly emptyLongPolls: number;
}

/**
 * Counts every AWS request the local runtime serves, by caller, service and operation: the raw facts a cost
 * model needs (requests, entries per batch, bytes), with no prices attached. Whatever a function sends is
 * counted where it arrives, so a new kind of call is counted without changes here.
 */
export class ApiCallCounter {
  readonly #tallies = new Map<string, { -readonly [K in keyof ApiCallTally]: ApiCallTally[K] }>();

  record(caller: ApiCaller, request: ApiRequest, outcome: { emptyLongPoll?: boolean } = {}): void {
    const key = `${caller}\u0000${request.service}\u0000${request.action}`;
    let tally = this.#tallies.get(key);
    if (tally === undefined) {
      tally = {
        caller,
        service: request.service,
        action: request.action,
        calls: 0,
        entries: 0,
        bytes: 0,
        emptyLongPolls: 0,
      };
      this.#tallies.set(key, tally);
    }
    tally.calls += 1;
    tally.entries += request.entries;
    tally.bytes += request.bytes;
    if (outcome.emptyLongPoll === true) tally.emptyLongPolls += 1;
  }

  /** A copy of the tallies so far, sorted by caller, service and operation. */
  snapshot(): ApiCallTally[] {
    return [...this.#tallies.values()]
      .map((tally) => ({ ...tally }))
      .sort((a, b) =>
        `${a.caller} ${a.service} ${a.action}`.localeCompare(`${b.caller} ${b.service} ${b.action}`),
      );
  }

  /** Forgets everything counted so far (the provisioning before a run, say). */
  reset(): void {
    this.#tallies.clear();
  }
}
