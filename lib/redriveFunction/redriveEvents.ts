import { randomUUID } from 'node:crypto';
import type { OutgoingNotification } from '../aws/snsBatchApi.js';
import { eventFilterAttributes } from '../events/eventFilterAttributes.js';
import { EVENT_SCHEMA_VERSION, type FailsafeEventOf, type RedriveEvent } from '../events/eventSchema.js';
import type { RedrivePlan, RedriveReport } from '../redrive/redriveReport.js';

/** Who is redriving, and which run: the same for both events of a run. */
export interface RedriveRunInfo {
  readonly runId: string;
  readonly startedBy: string;
  readonly continuation: number;
  readonly functionName?: string | undefined;
  readonly requestId?: string | undefined;
}

export function redriveStartedEvent(
  run: RedriveRunInfo,
  plan: RedrivePlan,
  maxMessages: number,
  now: number = Date.now(),
): FailsafeEventOf<'redrive.started'> {
  return {
    schemaVersion: EVENT_SCHEMA_VERSION,
    type: 'redrive.started',
    id: randomUUID(),
    time: new Date(now).toISOString(),
    source: sourceOf(run, plan.dlqArn),
    redrive: {
      ...runPart(run, plan.dlqUrl, plan.strategy, plan.dryRun),
      approximateDepth: plan.approximateDepth,
      maxMessages,
    },
  };
}

export function redriveCompletedEvent(
  run: RedriveRunInfo,
  report: RedriveReport,
  outcome: { readonly continues: boolean; readonly breakerOpened: boolean },
  now: number = Date.now(),
): FailsafeEventOf<'redrive.completed'> {
  return {
    schemaVersion: EVENT_SCHEMA_VERSION,
    type: 'redrive.completed',
    id: randomUUID(),
    time: new Date(now).toISOString(),
    source: sourceOf(run, report.dlqArn),
    redrive: {
      ...runPart(run, report.dlqUrl, report.strategy, report.dryRun),
      moved: report.moved,
      skippedByFilter: report.skippedByFilter,
      capped: report.capped,
      parked: report.parked,
      failed: report.failed,
      blocked: report.blocked,
      duplicated: report.duplicated,
      previouslyRedriven: report.previouslyRedriven,
      durationMs: report.durationMs,
      ratePerSecond: report.ratePerSecond,
      stopReason: report.stopReason,
      continues: outcome.continues,
      breakerOpened: outcome.breakerOpened,
    },
  };
}

/** The SNS message for a redrive event, with the attributes subscribers filter on. */
export function redriveNotification(event: RedriveEvent, topicArn: string): OutgoingNotification {
  return {
    message: JSON.stringify(event),
    attributes: eventFilterAttributes(event),
    ...(topicArn.endsWith('.fifo') ? { messageGroupId: event.redrive.runId, deduplicationId: event.id } : {}),
  };
}

function sourceOf(run: RedriveRunInfo, dlqArn: string): RedriveEvent['source'] {
  return {
    queueArn: dlqArn,
    queueName: dlqArn.split(':').pop() ?? dlqArn,
    ...(run.functionName === undefined ? {} : { functionName: run.functionName }),
    ...(run.requestId === undefined ? {} : { requestId: run.requestId }),
  };
}

function runPart(run: RedriveRunInfo, dlqUrl: string, strategy: 'manual' | 'native', dryRun: boolean) {
  return {
    runId: run.runId,
    startedBy: run.startedBy,
    continuation: run.continuation,
    dlqUrl,
    strategy,
    dryRun,
  };
}
