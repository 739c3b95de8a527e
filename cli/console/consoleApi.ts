/**
 * The console's HTTP API: what the server answers and the page reads. Types only, so the page (bundled for
 * the browser) and the server (Node) share them without sharing code. No type here carries a message
 * body except MessageBody, which the page asks for only when the operator clicks "Show body".
 */

import type { ChartSection } from '../charts/chartTypes.js';

/** Depths of one queue, as GetQueueAttributes reports them. */
export interface QueueDepths {
  readonly url: string;
  readonly name: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** ApproximateAgeOfOldestMessage (CloudWatch), when it can be read. */
  readonly oldestAgeSeconds: number | undefined;
}

/** The consumer's event source mapping: the consumer circuit breaker pauses it by disabling it. */
export interface MappingStatus {
  readonly uuid: string;
  readonly functionName: string;
  /** Enabled, Disabled, Enabling, Disabling, ... */
  readonly state: string;
  readonly enabled: boolean;
  readonly maximumConcurrency: number | undefined;
}

export interface AlarmStatus {
  readonly name: string;
  /** OK, ALARM or INSUFFICIENT_DATA. */
  readonly state: string;
}

export interface ConsumerStatus {
  readonly id: string;
  readonly name: string;
  readonly queue: QueueDepths | undefined;
  readonly dlq: QueueDepths | undefined;
  readonly parking: QueueDepths | undefined;
  readonly mappings: readonly MappingStatus[];
  readonly alarms: readonly AlarmStatus[];
  /** What could not be read (no permission, not emulated locally), one sentence each. */
  readonly problems: readonly string[];
}

export interface OverviewResponse {
  readonly consumers: readonly ConsumerStatus[];
  /** What could not be found while looking for the consumers. */
  readonly problems: readonly string[];
  /** ISO 8601. */
  readonly at: string;
  /** Whether a live pipeline view is available (`npm start -- --console`). */
  readonly live: boolean;
}

/** One cause of failure in a DLQ and the dead letters it holds. */
export interface CauseGroup {
  /** The fingerprint id: `peek --cause <id>`, `redrive --filter fingerprint=<id>`. */
  readonly id: string;
  readonly label: string;
  readonly errorClass: string;
  readonly reason: string;
  readonly count: number;
  /** ISO 8601: the earliest and latest time a message of the group was dead-lettered (or sent). */
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
  /** Messages of the group already redriven at least once (they came back). */
  readonly redriven: number;
  /** Source queue ARN -> messages. */
  readonly sources: Readonly<Record<string, number>>;
  /** A few of its messages, for a first look. */
  readonly samples: readonly MessageSummary[];
}

export interface CausesResponse {
  readonly consumerId: string;
  readonly dlqUrl: string;
  readonly fifo: boolean;
  /** ISO 8601 of the scan these groups come from. */
  readonly scannedAt: string;
  readonly scanMs: number;
  readonly scanned: number;
  /** The scan stopped at its limit: more messages are in the DLQ than were grouped. */
  readonly truncated: boolean;
  readonly groups: readonly CauseGroup[];
}

/** A dead letter without its body. */
export interface MessageSummary {
  readonly messageId: string;
  readonly causeId: string;
  readonly causeLabel: string;
  /** The dead-letter reason (`moved-by-redrive-policy` without failure metadata). */
  readonly reason: string;
  /** ISO 8601. */
  readonly sentAt: string | undefined;
  readonly deadLetteredAt: string | undefined;
  readonly errorClass: string | undefined;
  readonly errorMessage: string | undefined;
  readonly redriveCount: number;
  readonly messageGroupId: string | undefined;
  readonly bodyBytes: number;
}

/** One attempt of a message's handler, as the attempt history records it. */
export interface AttemptEntry {
  /** Its number among the message's attempts. */
  readonly number: number;
  /** ISO 8601. */
  readonly at: string | undefined;
  readonly invocation: string | undefined;
  readonly errorClass: string | undefined;
  readonly errorMessage: string | undefined;
  readonly durationMs: number | undefined;
}

export interface MessageDetail extends MessageSummary {
  /** The failure metadata the runtime attached, field by field (errorMessage as scrubbed at the source). */
  readonly failure: Readonly<Record<string, string | number>> | undefined;
  /** Per-attempt history, when the message carries one; `undefined` when it carries only the counts. */
  readonly attempts: readonly AttemptEntry[] | undefined;
  readonly receiveCount: number;
  readonly sourceQueueArn: string | undefined;
  /** The message's own attributes (failure metadata excluded), binary values as base64. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface MessageBody {
  readonly messageId: string;
  readonly body: string;
}

export type ActionOperation = 'redrive' | 'park' | 'delete';

export type ActionSelection =
  | { readonly fingerprint: string; readonly messageIds?: never }
  | { readonly messageIds: readonly string[]; readonly fingerprint?: never };

export interface ActionRequest {
  readonly consumerId: string;
  readonly operation: ActionOperation;
  readonly selection: ActionSelection;
  readonly dryRun: boolean;
  /** Messages per second at most. */
  readonly ratePerSecond?: number;
  /** A real run names the finished dry run of the same action it follows. */
  readonly previewJobId?: string;
  /** A delete types `delete <count>`, the count of its preview. */
  readonly confirmation?: string;
}

/** A destination a preview found, and whether its redrive policy names this DLQ. */
export interface DestinationCheck {
  readonly url: string;
  readonly messages: number;
  readonly namesThisDlq: boolean;
}

export interface JobCounts {
  readonly received: number;
  readonly moved: number;
  readonly parked: number;
  readonly deleted: number;
  readonly skippedByFilter: number;
  readonly failed: number;
  readonly blocked: number;
  readonly duplicated: number;
}

export interface ActionJob {
  readonly id: string;
  readonly request: ActionRequest;
  readonly state: 'running' | 'done' | 'failed';
  readonly counts: JobCounts;
  /** The DLQ depth when the run started. */
  readonly approximateTotal: number | undefined;
  readonly elapsedMs: number;
  readonly ratePerSecond: number;
  readonly stopReason: string | undefined;
  /** Dry runs: where the selected messages would go. */
  readonly destinations: readonly DestinationCheck[];
  readonly error: string | undefined;
}

/**
 * The local pipeline over time (`npm start -- --console`): the run report's charts over the run so far,
 * drawn by the report's own chart module (cli/charts/page/timeChart.ts).
 */
export type LiveCharts = Pick<ChartSection, 'times' | 'timeLabel' | 'charts'>;

export interface LiveResponse {
  readonly available: boolean;
  readonly charts: LiveCharts;
}

export interface ErrorResponse {
  readonly error: string;
}
