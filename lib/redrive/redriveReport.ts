import type { RedriveStrategy } from './redriveStrategy.js';

/** What a run is about to do, given to `onStart`. */
export interface RedrivePlan {
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly fifo: boolean;
  readonly strategy: RedriveStrategy;
  /** Why this strategy: what was asked for, or why native was not possible. */
  readonly strategyReason: string;
  readonly dryRun: boolean;
  /** The DLQ's ApproximateNumberOfMessages when the run started. */
  readonly approximateDepth: number;
}

export interface RedriveCounts {
  /** Messages received from the DLQ and looked at (manual; each counted once per run). */
  readonly received: number;
  /** Sent to their source and deleted from the DLQ; in a dry run, those that would be. */
  readonly moved: number;
  /** Did not match the filter; left in the DLQ. */
  readonly skippedByFilter: number;
  /** At or over the redrive cap; left in the DLQ, or parked. (A `park` run's messages are not capped.) */
  readonly capped: number;
  /** Sent to the parking queue and deleted from the DLQ: the capped ones, or every selected one of a `park` run. */
  readonly parked: number;
  /** Deleted from the DLQ by a `delete` run; in a dry run, those that would be. */
  readonly deleted: number;
  /** Could not be moved (no known source, a send refused, too many attributes); left in the DLQ. */
  readonly failed: number;
  /** FIFO: left in the DLQ behind an earlier message of their group that stayed, to keep group order. */
  readonly blocked: number;
  /** Sent to their source but not deleted from the DLQ: a later redrive will send them again. */
  readonly duplicated: number;
  /** Received carrying a redrive count: they had been redriven before and came back. */
  readonly previouslyRedriven: number;
}

export interface RedriveProgress extends RedriveCounts {
  readonly strategy: RedriveStrategy;
  readonly elapsedMs: number;
  /** The DLQ depth at the start, or the native task's count of messages to move. */
  readonly approximateTotal: number | undefined;
}

/**
 * - `drained`: a receive came back empty (every visible message was handled).
 * - `max-messages`, `time-budget`, `aborted`: the run was told to stop there.
 * - `in-flight-limit`: SQS refused to hand out more messages while so many are held (OverLimit).
 * - `task-*`: the native task ended so, or was still running when the run stopped waiting.
 */
export type RedriveStopReason =
  | 'drained'
  | 'max-messages'
  | 'time-budget'
  | 'aborted'
  | 'in-flight-limit'
  | 'task-completed'
  | 'task-failed'
  | 'task-cancelled'
  | 'task-running';

export type RedriveMessageAction =
  | 'moved'
  | 'would-move'
  | 'skipped-by-filter'
  | 'capped'
  | 'parked'
  | 'would-park'
  | 'deleted'
  | 'would-delete'
  | 'failed'
  | 'blocked'
  | 'duplicated';

/** What happened to one message (manual strategy). */
export interface RedriveMessageOutcome {
  readonly messageId: string;
  readonly action: RedriveMessageAction;
  /** The redrive count the message carried when received. */
  readonly redriveCount: number;
  readonly destinationUrl?: string | undefined;
  readonly messageGroupId?: string | undefined;
  /** From the failure metadata, when the message has some. */
  readonly errorClass?: string | undefined;
  /** Why it did not move, for failed, blocked and duplicated messages. */
  readonly reason?: string | undefined;
  /** A failed message whose recorded source does not name this DLQ in its redrive policy: that queue's URL. */
  readonly unpairedDestinationUrl?: string | undefined;
}

export interface RedriveReport extends RedriveCounts {
  readonly strategy: RedriveStrategy;
  readonly strategyReason: string;
  readonly dryRun: boolean;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly stopReason: RedriveStopReason;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Messages moved per second over the run. */
  readonly ratePerSecond: number;
  /**
   * Moved messages by destination queue URL; in a dry run, where they would go. Each of these queues names
   * the DLQ in its redrive policy (or was named as the source and confirmed).
   */
  readonly movedByDestination: Readonly<Record<string, number>>;
  /**
   * Messages left in the DLQ because the queue they name as their source does not name the DLQ in its
   * redrive policy, by that queue's URL (reported, not followed).
   */
  readonly unpairedDestinations: Readonly<Record<string, number>>;
  /** Per-message outcomes, the first `reportLimit` of them. */
  readonly messages: readonly RedriveMessageOutcome[];
  /** Outcomes beyond `reportLimit`, counted only. */
  readonly messagesOmitted: number;
  /** Native strategy: the move task as last seen. */
  readonly nativeTask?: NativeTaskReport | undefined;
}

export interface NativeTaskReport {
  readonly taskHandle: string | undefined;
  readonly status: string;
  readonly approximateMessagesToMove: number | undefined;
  readonly failureReason: string | undefined;
}
