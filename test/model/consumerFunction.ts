import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import {
  type AwsClients,
  createBatchHandler,
  DependencyError,
  type LambdaContextLike,
  type LoggerLike,
  PermanentError,
  type RecordContext,
} from '../../lib/index.js';
import type { AwsModel } from './aws/awsModel.js';
import type { LambdaService } from './aws/lambdaService.js';
import type { ModelQueue, StoredMessage } from './aws/modelQueue.js';
import type { SqsService } from './aws/sqsService.js';
import type { Deployment } from './deployment.js';
import type { CopyLocation } from './invariants.js';
import { isDeletedBy, sqsEvent, verdictOf } from './lambda/eventSourceMapping.js';
import { type Container, type Invocation, type KillPlan, never } from './lambda/functionContainers.js';
import type { LambdaRuntime } from './lambda/lambdaRuntime.js';
import { type Delivery, type HandlerRun, type Ledger, type LogicalMessage, numberOf } from './ledger.js';
import type { SimulatedClock } from './simulation/simulatedClock.js';

/** The Lambda handler shape the consumer exports. */
export type ConsumerHandler = (event: unknown, context?: LambdaContextLike) => Promise<unknown>;

/** Test only (injected bugs): wraps the deployed handler of each consumer container. */
export type ConsumerWrapper = (
  handler: ConsumerHandler,
  aws: AwsClients,
  deployment: Deployment,
) => ConsumerHandler;

export type PollResult = 'paused' | 'busy' | 'empty' | 'throttled' | 'invoked';

/** What the consumer reads from and reports to the rest of the world. */
export interface ConsumerWorld {
  readonly deployment: Deployment;
  readonly ledger: Ledger;
  readonly sqs: SqsService;
  readonly source: ModelQueue;
  readonly lambda: LambdaService;
  readonly aws: AwsModel;
  readonly runtime: LambdaRuntime;
  readonly clock: SimulatedClock;
  /** The downstream the business handler calls is down: every run fails transiently. */
  readonly outage: boolean;
  violate(invariant: string, message: string): void;
  copiesOf(n: number): CopyLocation[];
  checkFifoOrder(message: LogicalMessage): void;
}

/** The event source mapping's pollers when the mapping sets no maximum (AWS starts with five). */
const DEFAULT_POLLERS = 5;
export const EVENT_SOURCE_MAPPING = 'event-source-mapping';

const SILENT: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

class ModelTransientError extends Error {
  override name = 'ModelTransientError';
}

interface BatchDelivery {
  readonly delivery: Delivery;
  readonly message: LogicalMessage;
  readonly receiptHandle: string;
}

/**
 * The consumer as deployed, fed by its event source mapping: each container runs createBatchHandler
 * with the construct's SQS_FAILSAFE_CONFIG around the model's business logic (what each message's
 * behaviour asks); the mapping polls, invokes, and applies ReportBatchItemFailures to what comes back.
 */
export class ConsumerFunction {
  readonly #world: ConsumerWorld;
  readonly #wrap: ConsumerWrapper | undefined;
  readonly #handlers = new Map<Container, ConsumerHandler>();
  readonly #batches = new Map<number, BatchDelivery[]>();

  constructor(world: ConsumerWorld, wrap: ConsumerWrapper | undefined) {
    this.#world = world;
    this.#wrap = wrap;
  }

  get functionName(): string {
    return this.#world.deployment.consumer.functionName;
  }

  /** One poll of the mapping: a batch received and handed to a container, if the mapping may. */
  poll(variant: { readonly throttled?: boolean; readonly kill?: KillPlan } = {}): PollResult {
    const { lambda, runtime, sqs, source, deployment } = this.#world;
    if (!lambda.mapping.enabled) return 'paused';
    const running = runtime.running(this.functionName).length;
    if (running >= (lambda.mapping.maximumConcurrency ?? DEFAULT_POLLERS)) return 'busy';
    const messages = sqs.receive(source, deployment.consumer.batchSize, EVENT_SOURCE_MAPPING);
    if (messages.length === 0) return 'empty';
    if (variant.throttled === true) {
      // Lambda refused the invoke: the batch stays invisible until its visibility timeout ends.
      for (const stored of messages) this.#deliver(stored, undefined).delivery.outcome = 'unreported';
      return 'throttled';
    }
    const container = runtime.freeContainer(this.functionName) ?? this.#newContainer();
    const handler = this.#handlers.get(container) as ConsumerHandler;
    const event = sqsEvent(messages, source.settings.arn, 'eu-west-1');
    const invocation = runtime.invoke(
      container,
      deployment.consumer.timeoutSeconds,
      variant.kill,
      (context) => handler(event, context),
    );
    this.#batches.set(
      invocation.id,
      messages.map((stored) => this.#deliver(stored, invocation.id)),
    );
    return 'invoked';
  }

  /** The mapping applies ReportBatchItemFailures to an invocation that has ended. */
  settle(invocation: Invocation): void {
    const { sqs, source, clock } = this.#world;
    const batch = this.#batches.get(invocation.id) ?? [];
    for (const { message } of batch) message.abandonRunsIn(invocation.id, clock.now);
    if (invocation.status !== 'returned') {
      for (const { delivery } of batch) delivery.outcome = 'unreported';
      return;
    }
    const verdict = verdictOf(
      invocation.result,
      batch.map(({ delivery }) => delivery.messageId),
    );
    for (const { delivery, message, receiptHandle } of batch) {
      if (!isDeletedBy(verdict, delivery.messageId)) {
        delivery.outcome = 'kept';
        if (this.#copyNotMade(invocation, message, delivery)) delivery.copyNotMade = true;
        continue;
      }
      const succeeded = message.succeededIn(invocation.id, delivery.messageId);
      const deleted = sqs.delete(source, receiptHandle, EVENT_SOURCE_MAPPING);
      delivery.outcome = deleted ? 'deleted' : 'kept';
      if (!deleted) continue;
      if (succeeded) message.completedAt ??= clock.now;
      // The copy that justifies the delete is the one this invocation had confirmed in the DLQ (it may have
      // been redriven and done since), or any copy still queued somewhere, or the message already done.
      const copied =
        message.deadLetters.some((deadLetter) => deadLetter.invocation === invocation.id) ||
        this.#world.copiesOf(message.n).length > 0 ||
        message.completedAt !== undefined;
      if (!copied)
        this.#world.violate(
          'deleted-with-reason',
          `message ${message.n} deleted after invocation ${invocation.id} without a success there or a copy elsewhere`,
        );
    }
  }

  /**
   * Whether a record kept in place was one whose redelivery copy the model kept from being made. On a
   * standard queue with attempts counted, every receive that was not an attempt is sent back as a copy
   * (its receive count starts again); it stays in place only when the copy cannot be made
   * (docs/failure-routing.md, "Redelivery"): SQS refused it, or the runtime did not start it because the
   * time left was shorter than the container's AWS calls lately took. In the model every call answers at
   * once unless a fault delays it, so the second needs a call of this container slowed or withheld by a
   * fault before the invocation ended; the first, a faulted copy send in this invocation. Anything else
   * kept in place without an attempt is no allowance: the runtime should have copied it.
   */
  #copyNotMade(invocation: Invocation, message: LogicalMessage, delivery: Delivery): boolean {
    const { deployment, source, aws } = this.#world;
    if (source.settings.fifo || deployment.consumer.config.deadLetter?.maxAttempts === undefined)
      return false;
    if (message.runsOf(delivery).length > 0) return false;
    const caller = invocation.container.caller.label;
    const endedAt = invocation.endedAt ?? Number.POSITIVE_INFINITY;
    return aws.calls.some(
      (call) =>
        call.caller === caller &&
        call.startedAt <= endedAt &&
        (call.delayedBy !== undefined ||
          (call.operation === 'SQS.SendMessageBatch@source' &&
            call.faultedBy !== undefined &&
            call.startedAt >= invocation.startedAt)),
    );
  }

  #newContainer(): Container {
    const { runtime, deployment } = this.#world;
    const container = runtime.newContainer(this.functionName);
    const aws = runtime.clients(container);
    // The deployed consumer: createBatchHandler reading SQS_FAILSAFE_CONFIG as the construct wrote it.
    const previous = process.env[BATCH_CONFIG_ENV_VAR];
    process.env[BATCH_CONFIG_ENV_VAR] = deployment.consumer.configJson;
    try {
      const handler = createBatchHandler(
        (message: unknown, context: RecordContext) => this.#business(container, message, context),
        { aws, logger: SILENT, metrics: false },
      );
      this.#handlers.set(container, this.#wrap?.(handler, aws, deployment) ?? handler);
    } finally {
      if (previous === undefined) delete process.env[BATCH_CONFIG_ENV_VAR];
      else process.env[BATCH_CONFIG_ENV_VAR] = previous;
    }
    return container;
  }

  /** The business logic: what the message's behaviour asks, or a failure while the downstream is down. */
  async #business(container: Container, body: unknown, context: RecordContext): Promise<unknown> {
    const { ledger, clock, runtime } = this.#world;
    const invocation = container.invocation;
    if (container.dead || invocation === undefined) return never();
    const message = ledger.get((body as { n: number }).n);
    this.#world.checkFifoOrder(message);
    const run: HandlerRun = {
      invocation: invocation.id,
      messageId: context.record.messageId,
      receiveCount: Number(context.record.attributes.ApproximateReceiveCount),
      startedAt: clock.now,
      result: 'running',
      endedAt: undefined,
    };
    const failures = message.runs.filter((previous) => previous.result === 'transient').length;
    const crashes = message.runs.filter((previous) => previous.result === 'crash').length;
    message.runs.push(run);
    clock.activity += 1;
    const end = (result: HandlerRun['result']) => {
      if (run.result !== 'running') return;
      run.result = result;
      run.endedAt = clock.now;
      clock.activity += 1;
    };
    const behaviour = message.behaviour;
    if (behaviour.kind === 'crash' && crashes < behaviour.times) {
      end('crash');
      runtime.kill(invocation);
      return never();
    }
    if (behaviour.kind === 'slow') {
      // A handler that ignores the abort signal, as a careless one would; the model only reads it.
      const { signal } = context;
      await clock.sleep(behaviour.ms);
      if (container.dead) return never();
      // Past the time budget the runtime has reported the record failed: a late finish is no success.
      // Finishing at the very instant the budget ends, the finish and the deadline are due at once and
      // either may run first, as two timers due together on a real event loop; the runtime aborts the
      // signal at its deadline, so the signal says which it saw first.
      const budgetEndsAt = this.#budgetEndsAt(invocation);
      if (clock.now > budgetEndsAt || (clock.now === budgetEndsAt && signal.aborted)) {
        end('abandoned');
        return { n: message.n };
      }
    }
    if (this.#world.outage) {
      end('transient');
      throw new DependencyError('downstream', new Error('the downstream service is unavailable (simulated)'));
    }
    if (behaviour.kind === 'permanent') {
      end('permanent');
      throw new PermanentError(`message ${message.n} can never be processed (simulated)`);
    }
    if (
      behaviour.kind === 'always-transient' ||
      (behaviour.kind === 'transient' && failures < behaviour.failures)
    ) {
      end('transient');
      throw new ModelTransientError(`message ${message.n} failed transiently (simulated)`);
    }
    end('success');
    return { n: message.n };
  }

  /** When the runtime stops waiting for records: the Lambda timeout less its safety margin (docs/runtime.md). */
  #budgetEndsAt(invocation: Invocation): number {
    return invocation.timeoutAt - (this.#world.deployment.consumer.config.safetyMarginMs ?? 1_000);
  }

  #deliver(stored: StoredMessage, invocation: number | undefined): BatchDelivery {
    const message = this.#world.ledger.get(numberOf(stored.body));
    const delivery: Delivery = {
      invocation,
      messageId: stored.messageId,
      receiveCount: stored.receiveCount,
      sentAt: stored.sentAt,
      at: this.#world.clock.now,
      outcome: 'pending',
    };
    message.deliveries.push(delivery);
    return { delivery, message, receiptHandle: stored.receiptHandle as string };
  }
}
