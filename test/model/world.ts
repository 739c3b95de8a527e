import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import {
  type AlarmState,
  type AwsClients,
  awsAlarmStates,
  awsEventSourceMappings,
  BREAKER_PROBE_EVENT,
  CONFIG_ENV_VAR,
  createBatchHandler,
  createBreakerController,
  createRedriveHandler,
  DependencyError,
  type LambdaContextLike,
  type LoggerLike,
  PermanentError,
  type RecordContext,
  readBreakerTriggers,
  snsConsumerEvents,
} from '../../lib/index.js';
import { alarmPayload } from '../helpers/alarmEvents.js';
import { AwsModel, type FaultKind, type Violation } from './aws/awsModel.js';
import { CloudWatchService } from './aws/cloudWatchService.js';
import { LambdaService, type MappingChange } from './aws/lambdaService.js';
import type { ModelQueue, StoredMessage } from './aws/modelQueue.js';
import { SnsService } from './aws/snsService.js';
import { SqsService } from './aws/sqsService.js';
import type { Deployment } from './deployment.js';
import {
  breakerPosition,
  breakerTransitionProblem,
  type Census,
  type CopyLocation,
  census,
  deadLetterProblem,
  metadataProblems,
  readMetadata,
} from './invariants.js';
import type { Strictness } from './knownBugs.js';
import { isDeletedBy, sqsEvent, verdictOf } from './lambda/eventSourceMapping.js';
import {
  Container,
  type Invocation,
  type InvocationStatus,
  type KillPlan,
  never,
} from './lambda/functionContainers.js';
import { type Behaviour, bodyOf, type Delivery, Ledger, type LogicalMessage, numberOf } from './ledger.js';
import { SimulatedClock } from './simulation/simulatedClock.js';

/** The Lambda handler shape the consumer exports. */
export type ConsumerHandler = (event: unknown, context?: LambdaContextLike) => Promise<unknown>;

export interface WorldOptions {
  readonly deployment: Deployment;
  /** Seeds everything random in the run: the runtime's jitter, SQS's sampling, partial failures. */
  readonly seed: number;
  readonly strictness: Strictness;
  /**
   * Test only (injected bugs): wraps the deployed consumer handler of each container. Never used by the
   * default runs.
   */
  readonly wrapConsumer?: (
    handler: ConsumerHandler,
    aws: AwsClients,
    deployment: Deployment,
  ) => ConsumerHandler;
}

export interface SendSpec {
  readonly behaviour: Behaviour;
  readonly groupId?: string | undefined;
  readonly delaySeconds?: number | undefined;
  /** Message attributes of the producer's own (they change how failure metadata is laid out). */
  readonly ownAttributes?: number | undefined;
}

export type PollResult = 'paused' | 'busy' | 'empty' | 'throttled' | 'invoked';

export interface RunStats {
  invocations: number;
  crashes: number;
  timeouts: number;
  toleratedTimeouts: number;
  runtimeDeadLetters: number;
  policyDeadLetters: number;
  redrivenCopies: number;
  breakerTransitions: number;
}

/** The event source mapping's pollers when the mapping sets no maximum (AWS starts with five). */
const DEFAULT_POLLERS = 5;
const EVENT_SOURCE_MAPPING = 'event-source-mapping';
const START = Date.UTC(2026, 10, 24, 9, 0, 0);

const SILENT: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

class ModelTransientError extends Error {
  override name = 'ModelTransientError';
}

interface InvocationDelivery {
  readonly delivery: Delivery;
  readonly message: LogicalMessage;
  readonly receiptHandle: string;
}

/**
 * Everything a model run simulates, wired together: the clock, SQS (the work queue and its DLQ as the
 * construct configures them), SNS, the event source mapping, CloudWatch's alarm, Lambda's containers,
 * and the product's real code running in them (the consumer handler with the construct's configuration,
 * the breaker controller, the redrive function), each with SDK clients served by the model. It records
 * every violation of an invariant as it happens; `assertHealthy` fails the run with all of them.
 */
export class World {
  readonly deployment: Deployment;
  readonly strictness: Strictness;
  readonly clock: SimulatedClock;
  readonly ledger = new Ledger();
  readonly aws: AwsModel;
  readonly sqs: SqsService;
  readonly sns: SnsService;
  readonly lambda: LambdaService;
  readonly cloudWatch: CloudWatchService;
  readonly source: ModelQueue;
  readonly deadLetterQueue: ModelQueue;
  readonly violations: Violation[] = [];
  readonly invocations: Invocation[] = [];
  readonly stats: RunStats = {
    invocations: 0,
    crashes: 0,
    timeouts: 0,
    toleratedTimeouts: 0,
    runtimeDeadLetters: 0,
    policyDeadLetters: 0,
    redrivenCopies: 0,
    breakerTransitions: 0,
  };
  /** Commands run so far (for the figures). */
  commandsRun = 0;
  /** The downstream the business handler calls is down: every run fails transiently. */
  outage = false;
  readonly #options: WorldOptions;
  readonly #containers: Container[] = [];
  readonly #deliveries = new Map<number, InvocationDelivery[]>();
  readonly #byLabel = new Map<string, Container>();
  #nextInvocation = 1;
  #nextContainer = 1;

  constructor(options: WorldOptions) {
    this.#options = options;
    this.deployment = options.deployment;
    this.strictness = options.strictness;
    this.clock = new SimulatedClock(START, options.seed);
    const clock = this.clock;
    const hooks = {
      now: () => clock.now,
      random: () => clock.random(),
      sleep: (ms: number) => clock.sleep(ms),
      touch: () => {
        clock.activity += 1;
      },
      violation: (invariant: string, message: string) => this.violate(invariant, message),
    };
    this.aws = new AwsModel(hooks, (input) => this.#targetOf(input));
    this.sqs = new SqsService(
      {
        sent: (queue, message, by) => this.#onSent(queue, message, by),
        received: () => hooks.touch(),
        deleted: (queue, message, by) => this.#onDeleted(queue, message, by),
        movedByPolicy: (_from, _to, message) => this.#onMovedByPolicy(message),
        expired: (queue, message) => this.#onExpired(queue, message),
      },
      hooks,
    );
    this.source = this.sqs.createQueue(this.deployment.source);
    this.deadLetterQueue = this.sqs.createQueue(this.deployment.deadLetterQueue);
    this.sns = new SnsService(hooks.now);
    const breaker = this.deployment.breaker?.config;
    this.cloudWatch = new CloudWatchService(breaker?.alarmName ?? 'no-breaker', clock.now);
    this.lambda = new LambdaService(
      {
        uuid: this.deployment.mappingUuid,
        functionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${this.deployment.consumer.functionName}`,
        eventSourceArn: this.source.settings.arn,
        enabled: true,
        maximumConcurrency: this.deployment.consumer.maximumConcurrency,
        lastModified: clock.now,
      },
      hooks.now,
      (change) => this.#onMappingChange(change),
      (functionName, payload) => this.#onAsyncInvoke(functionName, payload),
    );
    this.sqs.registerOperations(this.aws);
    this.sns.registerOperations(this.aws);
    this.lambda.registerOperations(this.aws);
    this.cloudWatch.registerOperations(this.aws);
  }

  /** Takes over the globals (time, timers, randomness) until `dispose`. */
  start(): void {
    this.clock.install();
  }

  dispose(): void {
    this.clock.uninstall();
  }

  violate(invariant: string, message: string): void {
    this.violations.push({ invariant, at: this.clock.now - START, message });
  }

  // ----- the producer -----

  send(specs: readonly SendSpec[]): void {
    const fifo = this.source.settings.fifo;
    for (const spec of specs) {
      // A standard queue keeps no group order (and the producer sends it no group).
      const groupId = fifo ? (spec.groupId ?? 'g1') : undefined;
      const message = this.ledger.add(spec.behaviour, this.clock.now, groupId);
      const attributes: Record<string, MessageAttributeValue> = {};
      for (let index = 0; index < (spec.ownAttributes ?? 0); index += 1)
        attributes[`tag${index}`] = { DataType: 'String', StringValue: `value-${index}` };
      this.sqs.send(
        this.source,
        {
          body: bodyOf(message.n),
          attributes,
          delaySeconds: fifo ? undefined : spec.delaySeconds,
          groupId,
          deduplicationId: fifo ? `dedup-${message.n}` : undefined,
        },
        'producer',
      );
    }
  }

  // ----- the event source mapping and the consumer -----

  /** One poll of the event source mapping: a batch received and handed to a container, if it may. */
  poll(variant: { readonly throttled?: boolean; readonly kill?: KillPlan } = {}): PollResult {
    const mapping = this.lambda.mapping;
    if (!mapping.enabled) return 'paused';
    const running = this.invocations.filter(
      (invocation) => invocation.status === 'running' && this.#isConsumer(invocation),
    );
    if (running.length >= (mapping.maximumConcurrency ?? DEFAULT_POLLERS)) return 'busy';
    const messages = this.sqs.receive(this.source, this.deployment.consumer.batchSize, EVENT_SOURCE_MAPPING);
    if (messages.length === 0) return 'empty';
    if (variant.throttled === true) {
      // Lambda refused the invoke: the batch stays invisible until its visibility timeout ends.
      for (const stored of messages) this.#deliver(stored, undefined).delivery.outcome = 'unreported';
      return 'throttled';
    }
    const container = this.#freeConsumerContainer();
    const event = sqsEvent(messages, this.source.settings.arn, 'eu-west-1');
    const invocation = this.#invoke(
      container,
      this.deployment.consumer.timeoutSeconds,
      variant.kill,
      (context) => (this.#consumerHandlers.get(container) as ConsumerHandler)(event, context),
    );
    this.#deliveries.set(
      invocation.id,
      messages.map((stored) => this.#deliver(stored, invocation.id)),
    );
    return 'invoked';
  }

  readonly #consumerHandlers = new Map<Container, ConsumerHandler>();

  #freeConsumerContainer(): Container {
    const name = this.deployment.consumer.functionName;
    const free = this.#containers.find(
      (container) => container.functionName === name && !container.dead && !container.busy,
    );
    if (free !== undefined) return free;
    const container = this.#newContainer(name);
    const aws = this.#clients(container);
    // The deployed consumer: createBatchHandler reading SQS_FAILSAFE_CONFIG as the construct wrote it.
    const previous = process.env[CONFIG_ENV_VAR];
    process.env[CONFIG_ENV_VAR] = this.deployment.consumer.configJson;
    let handler: ConsumerHandler;
    try {
      handler = createBatchHandler(
        (message: unknown, context: RecordContext) => this.#business(container, message, context),
        {
          aws,
          logger: SILENT,
          metrics: false,
        },
      );
    } finally {
      if (previous === undefined) delete process.env[CONFIG_ENV_VAR];
      else process.env[CONFIG_ENV_VAR] = previous;
    }
    this.#consumerHandlers.set(
      container,
      this.#options.wrapConsumer?.(handler, aws, this.deployment) ?? handler,
    );
    return container;
  }

  /** The consumer's business logic: what each message's behaviour asks, or failure in an outage. */
  async #business(container: Container, body: unknown, context: RecordContext): Promise<unknown> {
    const invocation = container.invocation;
    if (container.dead || invocation === undefined) return never();
    const message = this.ledger.get((body as { n: number }).n);
    this.#checkFifoOrder(message);
    const run = {
      invocation: invocation.id,
      messageId: context.record.messageId,
      receiveCount: Number(context.record.attributes.ApproximateReceiveCount),
      startedAt: this.clock.now,
      result: 'running' as const as LogicalMessage['runs'][number]['result'],
      endedAt: undefined as number | undefined,
    };
    const earlier = message.runs.filter((previous) => previous.result === 'transient').length;
    const crashes = message.runs.filter((previous) => previous.result === 'crash').length;
    message.runs.push(run);
    this.clock.activity += 1;
    const end = (result: typeof run.result) => {
      if (run.result !== 'running') return;
      run.result = result;
      run.endedAt = this.clock.now;
      this.clock.activity += 1;
    };
    const behaviour = message.behaviour;
    if (behaviour.kind === 'crash' && crashes < behaviour.times) {
      end('crash');
      this.#kill(invocation);
      return never();
    }
    if (behaviour.kind === 'slow') {
      await this.clock.sleep(behaviour.ms);
      if (container.dead) return never();
    }
    if (this.outage) {
      end('transient');
      throw new DependencyError('downstream', new Error('the downstream service is unavailable (simulated)'));
    }
    if (behaviour.kind === 'permanent') {
      end('permanent');
      throw new PermanentError(`message ${message.n} can never be processed (simulated)`);
    }
    if (
      behaviour.kind === 'always-transient' ||
      (behaviour.kind === 'transient' && earlier < behaviour.failures)
    ) {
      end('transient');
      throw new ModelTransientError(`message ${message.n} failed transiently (simulated)`);
    }
    end('success');
    return { n: message.n };
  }

  /** Runs the runtime stopped waiting for (it reported, or dead-lettered the message, without them). */
  #abandonRuns(message: LogicalMessage, invocation: number): void {
    // (every copy of the message in that invocation: the runtime has finished with the batch's records)
    for (const run of message.runs)
      if (run.invocation === invocation && run.result === 'running') {
        run.result = 'abandoned';
        run.endedAt = this.clock.now;
      }
  }

  #deliver(stored: StoredMessage, invocation: number | undefined): InvocationDelivery {
    const message = this.ledger.get(numberOf(stored.body));
    const delivery: Delivery = {
      invocation,
      messageId: stored.messageId,
      receiveCount: stored.receiveCount,
      sentAt: stored.sentAt,
      at: this.clock.now,
      outcome: 'pending',
    };
    message.deliveries.push(delivery);
    return { delivery, message, receiptHandle: stored.receiptHandle as string };
  }

  /** The mapping applies ReportBatchItemFailures to a consumer invocation that has ended. */
  #settleConsumer(invocation: Invocation): void {
    const deliveries = this.#deliveries.get(invocation.id) ?? [];
    for (const { message } of deliveries) this.#abandonRuns(message, invocation.id);
    if (invocation.status !== 'returned') {
      for (const { delivery } of deliveries) delivery.outcome = 'unreported';
      return;
    }
    const verdict = verdictOf(
      invocation.result,
      deliveries.map(({ delivery }) => delivery.messageId),
    );
    for (const { delivery, message, receiptHandle } of deliveries) {
      if (!isDeletedBy(verdict, delivery.messageId)) {
        delivery.outcome = 'kept';
        continue;
      }
      const succeeded = message.succeededIn(invocation.id, delivery.messageId);
      const deleted = this.sqs.delete(this.source, receiptHandle, EVENT_SOURCE_MAPPING);
      delivery.outcome = deleted ? 'deleted' : 'kept';
      if (!deleted) continue;
      if (succeeded) message.completedAt ??= this.clock.now;
      else if (this.#copiesOf(message.n).length === 0)
        this.violate(
          'deleted-with-reason',
          `message ${message.n} deleted after invocation ${invocation.id} without a success there or a copy elsewhere`,
        );
    }
  }

  // ----- invocations (any function) -----

  #newContainer(functionName: string): Container {
    const container = new Container(this.#nextContainer++, functionName, (invocation) =>
      this.#kill(invocation),
    );
    this.#containers.push(container);
    this.#byLabel.set(container.caller.label, container);
    return container;
  }

  #clients(container: Container): AwsClients {
    return {
      sqs: this.aws.client<SQSClient>(container.caller),
      sns: this.aws.client<SNSClient>(container.caller),
      lambda: this.aws.client<LambdaClient>(container.caller),
      cloudWatch: this.aws.client<CloudWatchClient>(container.caller),
    };
  }

  #invoke(
    container: Container,
    timeoutSeconds: number,
    kill: KillPlan | undefined,
    run: (context: LambdaContextLike) => Promise<unknown>,
  ): Invocation {
    const id = this.#nextInvocation++;
    const startedAt = this.clock.now;
    const timeoutAt = startedAt + timeoutSeconds * 1_000;
    const invocation: Invocation = {
      id,
      functionName: container.functionName,
      container,
      startedAt,
      timeoutAt,
      kill,
      calls: 0,
      status: 'running',
      endedAt: undefined,
      result: undefined,
      delayedCallsAtTimeout: [],
      context: {
        functionName: container.functionName,
        functionVersion: '$LATEST',
        awsRequestId: `request-${id}`,
        invokedFunctionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${container.functionName}`,
        getRemainingTimeInMillis: () => Math.max(0, timeoutAt - this.clock.now),
      },
    };
    container.invocation = invocation;
    this.invocations.push(invocation);
    this.stats.invocations += 1;
    this.clock.activity += 1;
    void this.clock.sleep(timeoutSeconds * 1_000).then(() => {
      if (invocation.status === 'running') this.#timeOut(invocation);
    });
    Promise.resolve()
      .then(() => run(invocation.context))
      .then(
        (result) => this.#end(invocation, 'returned', result),
        (error: unknown) => this.#end(invocation, 'threw', error),
      );
    return invocation;
  }

  #end(invocation: Invocation, status: InvocationStatus, result: unknown): void {
    if (invocation.status !== 'running') return;
    invocation.status = status;
    invocation.result = result;
    invocation.endedAt = this.clock.now;
    this.clock.activity += 1;
    if (this.#isConsumer(invocation)) this.#settleConsumer(invocation);
    this.#waiting.get(invocation.functionName)?.shift()?.();
  }

  /** The process died (a crash, or the kill plan at one of its AWS calls): nothing it still does counts. */
  #kill(invocation: Invocation): void {
    invocation.container.dead = true;
    if (invocation.status !== 'running') return;
    this.stats.crashes += 1;
    this.#end(invocation, 'crashed', undefined);
  }

  #timeOut(invocation: Invocation): void {
    invocation.container.dead = true;
    invocation.delayedCallsAtTimeout = this.aws
      .delayedCallsInFlight(invocation.container.caller.label)
      .map((call) => call.operation);
    if (this.#isConsumer(invocation)) {
      this.stats.timeouts += 1;
      const explained = invocation.delayedCallsAtTimeout.length > 0;
      if (explained && this.strictness.tolerateTimeoutsInSlowCalls) this.stats.toleratedTimeouts += 1;
      else
        this.violate(
          'returns-before-timeout',
          `invocation ${invocation.id} ran into its ${this.deployment.consumer.timeoutSeconds} s timeout` +
            (explained ? ` waiting for ${invocation.delayedCallsAtTimeout.join(', ')} (issue 13)` : ''),
        );
    }
    this.#end(invocation, 'timed-out', undefined);
  }

  #isConsumer(invocation: Invocation): boolean {
    return invocation.functionName === this.deployment.consumer.functionName;
  }

  // ----- the consumer circuit breaker -----

  /** CloudWatch's transient-failure alarm changes state and invokes the breaker controller (alarm action). */
  setAlarm(state: AlarmState, kill?: KillPlan): void {
    if (this.cloudWatch.state === state) return;
    const previousState = this.cloudWatch.state;
    this.cloudWatch.set(state, this.clock.now);
    this.#invokeBreaker(
      alarmPayload('alarm-action', {
        state,
        previousState,
        changedAt: this.clock.now,
        alarmName: this.cloudWatch.alarmName,
      }),
      kill,
    );
  }

  /** The schedule's half-open probe. */
  probeBreaker(kill?: KillPlan): void {
    this.#invokeBreaker(BREAKER_PROBE_EVENT, kill);
  }

  #invokeBreaker(payload: unknown, kill: KillPlan | undefined): void {
    const breaker = this.deployment.breaker;
    if (breaker === undefined) return;
    this.#invokeAsync('breaker-controller', breaker.reservedConcurrency, () =>
      this.#runBreaker(payload, kill),
    );
  }

  #runBreaker(payload: unknown, kill: KillPlan | undefined): void {
    const breaker = this.deployment.breaker;
    if (breaker === undefined) return;
    const container = this.#newContainer('breaker-controller');
    const aws = this.#clients(container);
    this.#invoke(container, breaker.timeoutSeconds, kill, async (context) => {
      // The wiring of functions/breakerController/handler.ts, with the model's clients.
      const remaining = context.getRemainingTimeInMillis?.() ?? 0;
      const policy = { deadline: Date.now() + remaining - 500 };
      const controller = createBreakerController(breaker.config, {
        mappings: awsEventSourceMappings(policy, aws.lambda),
        alarms: awsAlarmStates(policy, aws.cloudWatch),
        events:
          breaker.config.topicArn === undefined
            ? undefined
            : snsConsumerEvents(breaker.config.topicArn, policy, aws),
        logger: SILENT,
      });
      const reports = [];
      for (const trigger of readBreakerTriggers(payload))
        reports.push(await controller.handle(trigger, context.awsRequestId));
      return reports;
    });
  }

  #onMappingChange(change: MappingChange): void {
    const breaker = this.deployment.breaker?.config;
    this.stats.breakerTransitions += 1;
    if (breaker === undefined) return;
    const problem = breakerTransitionProblem(change, this.cloudWatch, breaker);
    if (problem !== undefined) this.violate('breaker-transitions', problem);
  }

  breakerPosition(): string {
    const halfOpen = this.deployment.breaker?.config.halfOpenConcurrency ?? 2;
    return breakerPosition(this.lambda.mapping, halfOpen);
  }

  // ----- the redrive function -----

  /** Someone (or an alarm) runs the redrive function; `kill` ends it at one of its AWS calls. */
  redrive(payload: unknown, kill?: KillPlan): void {
    const redrive = this.deployment.redrive;
    if (redrive === undefined) return;
    this.#invokeAsync('redrive', redrive.reservedConcurrency, () => this.#runRedrive(payload, kill));
  }

  #runRedrive(payload: unknown, kill: KillPlan | undefined): void {
    const redrive = this.deployment.redrive;
    if (redrive === undefined) return;
    const container = this.#newContainer('redrive');
    const aws = this.#clients(container);
    const handler = createRedriveHandler({ config: redrive.config, aws, logger: SILENT, metrics: false });
    this.#invoke(container, redrive.timeoutSeconds, kill, (context) => handler(payload, context));
  }

  /**
   * Asynchronous invocations (alarm actions, schedules, self-invocations) of a function with reserved
   * concurrency wait in Lambda's queue while it is at its limit, and run when an invocation ends.
   */
  #invokeAsync(functionName: string, reserved: number | undefined, start: () => void): void {
    const running = this.invocations.filter(
      (invocation) => invocation.functionName === functionName && invocation.status === 'running',
    ).length;
    if (reserved === undefined || running < reserved) start();
    else {
      const waiting = this.#waiting.get(functionName) ?? [];
      waiting.push(start);
      this.#waiting.set(functionName, waiting);
    }
  }

  readonly #waiting = new Map<string, (() => void)[]>();

  #onAsyncInvoke(functionName: string, payload: unknown): void {
    if (this.deployment.redrive !== undefined && functionName === this.deployment.redrive.functionArn)
      this.redrive(payload);
  }

  // ----- what SQS tells the model -----

  #onSent(queue: ModelQueue, stored: StoredMessage, by: string): void {
    this.clock.activity += 1;
    if (by === 'producer') return;
    const message = this.ledger.get(numberOf(stored.body));
    if (queue === this.source) {
      this.stats.redrivenCopies += 1;
      return;
    }
    if (queue !== this.deadLetterQueue) return;
    const container = this.#byLabel.get(by);
    const invocation = container?.invocation;
    if (invocation === undefined || !this.#isConsumer(invocation)) return;
    this.stats.runtimeDeadLetters += 1;
    message.deadLetters.push({
      at: this.clock.now,
      by: 'runtime',
      messageId: stored.messageId,
      invocation: invocation.id,
    });
    // Which copy it was is not written on the dead letter; with two copies in one batch either may be it.
    const candidates = message.deliveries.filter((candidate) => candidate.invocation === invocation.id);
    if (candidates.length === 0) {
      this.violate(
        'attempts-before-dead-letter',
        `message ${message.n} dead-lettered by an invocation that never received it`,
      );
      return;
    }
    this.#abandonRuns(message, invocation.id);
    const metadata = readMetadata(stored.attributes);
    const errorClass = typeof metadata === 'string' ? undefined : String(metadata.errorClass);
    const judged = candidates.map((delivery) => ({
      attempts: this.#deadLetterProblem(message, delivery, 'runtime', errorClass),
      metadata: metadataProblems({
        attributes: stored.attributes,
        message,
        delivery,
        sourceQueueArn: this.source.settings.arn,
        functionName: this.deployment.consumer.functionName,
        invocationStartedAt: invocation.startedAt,
        now: this.clock.now,
      }),
    }));
    if (judged.some(({ attempts, metadata }) => attempts === undefined && metadata.length === 0)) return;
    const first = judged[0] as (typeof judged)[number];
    if (first.attempts !== undefined) this.violate('attempts-before-dead-letter', first.attempts);
    for (const problem of first.metadata) this.violate('dead-letter-metadata', problem);
  }

  #onMovedByPolicy(stored: StoredMessage): void {
    this.clock.activity += 1;
    const message = this.ledger.get(numberOf(stored.body));
    this.stats.policyDeadLetters += 1;
    message.deadLetters.push({
      at: this.clock.now,
      by: 'queue-policy',
      messageId: stored.messageId,
      invocation: undefined,
    });
    const problem = this.#deadLetterProblem(message, undefined, 'queue-policy', undefined);
    if (problem !== undefined) this.violate('attempts-before-dead-letter', problem);
  }

  #deadLetterProblem(
    message: LogicalMessage,
    delivery: Delivery | undefined,
    by: 'runtime' | 'queue-policy',
    errorClass: string | undefined,
  ): string | undefined {
    const deadLetter = this.deployment.consumer.config.deadLetter;
    return deadLetterProblem(
      {
        message,
        delivery,
        by,
        now: this.clock.now,
        attemptLimit:
          deadLetter?.maxReceiveCount ?? (this.source.settings.redrivePolicy?.maxReceiveCount ?? 1) - 1,
        maxAgeSeconds: deadLetter?.maxAgeSeconds,
        errorClass,
      },
      this.strictness,
    );
  }

  #onDeleted(queue: ModelQueue, stored: StoredMessage, by: string): void {
    this.clock.activity += 1;
    if (by === EVENT_SOURCE_MAPPING) return; // judged in #settleConsumer, which knows the invocation
    const message = this.ledger.get(numberOf(stored.body));
    const invocation = this.#byLabel.get(by)?.invocation;
    const succeededHere =
      invocation !== undefined &&
      queue === this.source &&
      message.succeededIn(invocation.id, stored.messageId);
    if (!succeededHere && this.#copiesOf(message.n).length === 0 && message.completedAt === undefined)
      this.violate(
        'deleted-with-reason',
        `message ${message.n} deleted from ${queue.settings.name} by ${by} without a success or a copy elsewhere`,
      );
  }

  #onExpired(queue: ModelQueue, stored: StoredMessage): void {
    this.clock.activity += 1;
    if (queue === this.source) this.ledger.get(numberOf(stored.body)).expiredAt ??= this.clock.now;
  }

  #checkFifoOrder(message: LogicalMessage): void {
    for (const earlier of this.ledger.earlierInGroup(message)) {
      if (earlier.everSucceeded || earlier.everDeadLettered || earlier.expiredAt !== undefined) continue;
      this.violate(
        'fifo-order',
        `message ${message.n} of group ${message.groupId} processed while message ${earlier.n}, sent before it, is still pending`,
      );
    }
  }

  // ----- faults and time -----

  armFault(operation: string, fault: FaultKind, count: number): void {
    this.aws.arm(operation, fault, count);
  }

  async advance(ms: number): Promise<void> {
    await this.clock.advanceBy(ms);
    this.sqs.expire();
  }

  /** Moves time to when the next message in the work queue becomes visible (a visibility or delay ends). */
  async advanceToNextVisibility(): Promise<void> {
    const next = this.source.nextVisibleAt(this.clock.now);
    if (next !== undefined) await this.advance(next - this.clock.now);
  }

  settle(): Promise<void> {
    return this.clock.settle();
  }

  // ----- the state the invariants read -----

  #copiesOf(n: number): CopyLocation[] {
    return this.copies().filter((copy) => copy.n === n);
  }

  copies(): CopyLocation[] {
    const now = this.clock.now;
    const copies: CopyLocation[] = [];
    for (const message of this.source.messages)
      copies.push({
        n: numberOf(message.body),
        where: this.source.isInFlight(message, now) ? 'in-flight' : 'queued',
      });
    for (const message of this.deadLetterQueue.messages)
      copies.push({ n: numberOf(message.body), where: 'dead-lettered' });
    return copies;
  }

  census(): Census {
    return census(this.ledger, this.copies());
  }

  /** Checks what holds at any moment, and throws with every violation found so far. */
  assertHealthy(when: string): void {
    const counts = this.census();
    for (const n of counts.lost) {
      if (
        !this.violations.some(
          (violation) =>
            violation.invariant === 'conservation' && violation.message.includes(`message ${n} `),
        )
      )
        this.violate(
          'conservation',
          `message ${n} is nowhere: not done, not dead-lettered, not queued, not expired`,
        );
    }
    if (this.violations.length > 0) throw new InvariantViolation(when, this.violations, counts);
  }

  runningInvocations(): Invocation[] {
    return this.invocations.filter((invocation) => invocation.status === 'running');
  }

  #targetOf(input: unknown): string | undefined {
    const { QueueUrl, TopicArn } = input as { QueueUrl?: string; TopicArn?: string };
    if (QueueUrl === this.source.settings.url) return 'source';
    if (QueueUrl === this.deadLetterQueue.settings.url) return 'dlq';
    if (TopicArn !== undefined) return 'topic';
    return undefined;
  }
}

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
  constructor(
    readonly when: string,
    readonly violations: readonly Violation[],
    readonly counts: Census,
  ) {
    const lines = violations
      .slice(0, 12)
      .map((violation) => `  [${violation.invariant}] t=${violation.at} ms: ${violation.message}`);
    const more = violations.length > 12 ? [`  ... and ${violations.length - 12} more`] : [];
    super(
      [
        `${violations.length} invariant violation(s) ${when}:`,
        ...lines,
        ...more,
        `  census: ${JSON.stringify({ ...counts, lost: counts.lost.length })}`,
      ].join('\n'),
    );
  }
}
