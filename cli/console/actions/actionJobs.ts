import { randomUUID } from 'node:crypto';
import type { AwsClients } from '../../../lib/aws/awsClients.js';
import { redrive } from '../../../lib/redrive/redriveEngine.js';
import type { RedriveFilter } from '../../../lib/redrive/redriveFilter.js';
import type { RedriveCounts, RedriveReport } from '../../../lib/redrive/redriveReport.js';
import type { LoggerLike } from '../../../lib/types.js';
import type { ActionJob, ActionRequest, DestinationCheck, JobCounts } from '../consoleApi.js';
import type { ConsumerDefinition } from '../consumers/consumerInventory.js';
import { handledCount } from '../handledCount.js';

/** A request the console refuses, with the sentence the page shows. */
export class ActionRefusedError extends Error {
  override name = 'ActionRefusedError';
}

export interface ActionJobsOptions {
  readonly aws: AwsClients;
  /** Where the engine's warnings go. */
  readonly logger: LoggerLike;
  /** Told when a real (not dry) run has finished, so the DLQ's scan can be forgotten. */
  readonly onChanged?: (consumerId: string) => void;
  /** Receive long-poll of each run (1 s on AWS; tests on a local server use 0). @default 1 */
  readonly receiveWaitSeconds?: number;
}

interface JobRecord {
  job: ActionJob;
  readonly consumer: ConsumerDefinition;
}

/** Finished jobs kept for the page to read; the oldest go first. */
const KEPT_JOBS = 100;

/**
 * The console's actions, each one run of the redrive engine, the same one the CLI and the redrive function
 * run: redrive (back to the source), park (to the parking queue) or delete, of a cause (fingerprint) or a
 * selection of message ids, at a rate. A real run must follow its own dry run (same consumer, operation
 * and selection). The engine sends only to queues whose redrive policy names this DLQ; when its dry run
 * found messages naming another queue, the real run is refused as a whole, so an operator sees the problem
 * before anything moves. A delete must be confirmed by typing `delete <n>`, n being the
 * preview's count.
 */
export class ActionJobs {
  readonly #options: ActionJobsOptions;
  readonly #jobs = new Map<string, JobRecord>();

  constructor(options: ActionJobsOptions) {
    this.#options = options;
  }

  get(id: string): ActionJob | undefined {
    return this.#jobs.get(id)?.job;
  }

  /** Validates and starts a run; its progress is read with get(). */
  start(consumer: ConsumerDefinition, request: ActionRequest): ActionJob {
    if (consumer.dlqUrl === undefined) throw new ActionRefusedError(`${consumer.name} has no DLQ.`);
    if (request.operation === 'park' && consumer.parkingQueueUrl === undefined)
      throw new ActionRefusedError(`${consumer.name} has no parking queue to park in.`);
    if (!request.dryRun) this.#checkPreview(request);
    const id = randomUUID();
    const record: JobRecord = {
      consumer,
      job: {
        id,
        request,
        state: 'running',
        counts: emptyCounts(),
        approximateTotal: undefined,
        elapsedMs: 0,
        ratePerSecond: 0,
        stopReason: undefined,
        destinations: [],
        error: undefined,
      },
    };
    this.#jobs.set(id, record);
    this.#forgetOld();
    void this.#run(record);
    return record.job;
  }

  #checkPreview(request: ActionRequest): void {
    const preview =
      request.previewJobId === undefined ? undefined : this.#jobs.get(request.previewJobId)?.job;
    if (preview === undefined || !preview.request.dryRun || preview.state !== 'done')
      throw new ActionRefusedError('Run a dry run of this action first; the real run names it.');
    if (
      preview.request.consumerId !== request.consumerId ||
      preview.request.operation !== request.operation ||
      JSON.stringify(preview.request.selection) !== JSON.stringify(request.selection)
    )
      throw new ActionRefusedError('The dry run named is of another action: run a dry run of this one.');
    const unverified = preview.destinations.filter((destination) => !destination.namesThisDlq);
    if (request.operation === 'redrive' && unverified.length > 0)
      throw new ActionRefusedError(
        `Not sent: the redrive policy of ${unverified.map((destination) => destination.url).join(', ')} does ` +
          'not name this DLQ. Choose a destination explicitly with `sqs-failsafe redrive --source`.',
      );
    const count = handledCount(preview.counts, request.operation);
    if (request.operation === 'delete' && request.confirmation?.trim() !== `delete ${count}`)
      throw new ActionRefusedError(`Type "delete ${count}" to confirm the delete.`);
  }

  async #run(record: JobRecord): Promise<void> {
    const { consumer } = record;
    const { request } = record.job;
    const filter: RedriveFilter =
      request.selection.fingerprint !== undefined
        ? { fingerprint: request.selection.fingerprint }
        : { messageIds: request.selection.messageIds };
    const update = (change: Partial<ActionJob>) => {
      record.job = { ...record.job, ...change };
    };
    try {
      const report = await redrive({
        dlq: consumer.dlqUrl as string,
        strategy: 'manual',
        operation: request.operation,
        filter,
        dryRun: request.dryRun,
        // A selection is done once each of its messages has gone: no need to read the rest of the DLQ.
        ...(request.selection.messageIds === undefined
          ? {}
          : { maxMessages: request.selection.messageIds.length }),
        ...(request.ratePerSecond === undefined ? {} : { ratePerSecond: request.ratePerSecond }),
        ...(request.operation === 'park' ? { parkingQueue: consumer.parkingQueueUrl } : {}),
        receiveWaitSeconds: this.#options.receiveWaitSeconds ?? 1,
        reportLimit: 0,
        logger: this.#options.logger,
        aws: this.#options.aws,
        onStart: (plan) => update({ approximateTotal: plan.approximateDepth }),
        onProgress: (progress) =>
          update({
            counts: countsOf(progress),
            elapsedMs: progress.elapsedMs,
            ratePerSecond:
              progress.elapsedMs === 0
                ? 0
                : (handledCount(progress, request.operation) / progress.elapsedMs) * 1_000,
          }),
      });
      update({
        state: 'done',
        counts: countsOf(report),
        elapsedMs: report.durationMs,
        ratePerSecond: report.ratePerSecond,
        stopReason: report.stopReason,
        destinations: request.dryRun ? this.#destinations(record, report) : [],
      });
    } catch (error) {
      update({ state: 'failed', error: error instanceof Error ? error.message : String(error) });
    } finally {
      if (!request.dryRun) this.#options.onChanged?.(consumer.id);
    }
  }

  /**
   * Where a dry run's messages would go, as the engine found them: it sends only to queues whose redrive
   * policy names this DLQ, and reports the others (unpairedDestinations) instead of following them.
   */
  #destinations(record: JobRecord, report: RedriveReport): DestinationCheck[] {
    const { consumer } = record;
    if (record.job.request.operation === 'park' && consumer.parkingQueueUrl !== undefined)
      return [{ url: consumer.parkingQueueUrl, messages: report.parked, namesThisDlq: true }];
    if (record.job.request.operation !== 'redrive') return [];
    return [
      ...Object.entries(report.movedByDestination).map(([url, messages]) => ({
        url,
        messages,
        namesThisDlq: true,
      })),
      ...Object.entries(report.unpairedDestinations).map(([url, messages]) => ({
        url,
        messages,
        namesThisDlq: false,
      })),
    ];
  }

  #forgetOld(): void {
    for (const [id, record] of this.#jobs) {
      if (this.#jobs.size <= KEPT_JOBS) return;
      if (record.job.state !== 'running') this.#jobs.delete(id);
    }
  }
}

function emptyCounts(): JobCounts {
  return {
    received: 0,
    moved: 0,
    parked: 0,
    deleted: 0,
    skippedByFilter: 0,
    failed: 0,
    blocked: 0,
    duplicated: 0,
  };
}

function countsOf(counts: RedriveCounts): JobCounts {
  const { received, moved, parked, deleted, skippedByFilter, failed, blocked, duplicated } = counts;
  return { received, moved, parked, deleted, skippedByFilter, failed, blocked, duplicated };
}
