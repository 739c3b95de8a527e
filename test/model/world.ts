import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import {
  type AlarmState,
  CONSUMER_BREAKER_PROBE_EVENT,
  createConsumerBreakerHandler,
} from '../../lib/consumerBreaker/index.js';
import type { LoggerLike } from '../../lib/index.js';
import { createRedriveHandler } from '../../lib/redrive/index.js';
import { alarmPayload } from '../helpers/alarmEvents.js';
import { AwsModel, type FaultKind, type Violation } from './aws/awsModel.js';
import { CloudWatchService } from './aws/cloudWatchService.js';
import { DynamoDbService } from './aws/dynamoDbService.js';
import { LambdaService, type MappingChange } from './aws/lambdaService.js';
import type { ModelQueue } from './aws/modelQueue.js';
import { SnsService } from './aws/snsService.js';
import { SqsService } from './aws/sqsService.js';
import { ConsumerFunction, type ConsumerWrapper, type PollResult } from './consumerFunction.js';
import type { Deployment } from './deployment.js';
import {
  breakerPosition,
  breakerTransitionProblem,
  type Census,
  type CopyLocation,
  census,
} from './invariants.js';
import type { Strictness } from './knownBugs.js';
import type { Invocation, KillPlan } from './lambda/functionContainers.js';
import { LambdaRuntime } from './lambda/lambdaRuntime.js';
import { type Behaviour, bodyOf, Ledger, numberOf } from './ledger.js';
import { Observations } from './observations.js';
import { SimulatedClock } from './simulation/simulatedClock.js';

export type { ConsumerHandler } from './consumerFunction.js';

export interface WorldOptions {
  readonly deployment: Deployment;
  /** Seeds everything random in the run: the runtime's jitter, SQS's sampling, partial failures. */
  readonly seed: number;
  readonly strictness: Strictness;
  /** Test only (injected bugs): wraps the deployed consumer handler. Never used by the default runs. */
  readonly wrapConsumer?: ConsumerWrapper;
}

export interface SendSpec {
  readonly behaviour: Behaviour;
  readonly groupId?: string | undefined;
  readonly delaySeconds?: number | undefined;
  /** Message attributes of the producer's own (they change how failure metadata is laid out). */
  readonly ownAttributes?: number | undefined;
}

export interface RunStats {
  crashes: number;
  timeouts: number;
  toleratedTimeouts: number;
  runtimeDeadLetters: number;
  policyDeadLetters: number;
  redrivenCopies: number;
  /** Records the consumer sent back to the source as fresh copies (redelivery by copy). */
  redeliveryCopies: number;
  breakerTransitions: number;
}

const START = Date.UTC(2026, 10, 24, 9, 0, 0);
const BREAKER_CONTROLLER = 'breaker-controller';
const REDRIVE = 'redrive';

const SILENT: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Everything a model run simulates, wired together: the clock, SQS (the work queue and its DLQ as the
 * construct configures them), SNS, the event source mapping, CloudWatch's alarm, Lambda, and the
 * product's real code running in it (the consumer, the breaker controller, the redrive function), each
 * with SDK clients served by the model. Violations of the invariants are recorded as they happen;
 * `assertHealthy` fails the run with all of them.
 */
export class World {
  readonly deployment: Deployment;
  readonly strictness: Strictness;
  readonly clock: SimulatedClock;
  readonly ledger = new Ledger();
  readonly aws: AwsModel;
  readonly sqs: SqsService;
  /** The attempt ledger's table. */
  readonly dynamoDb = new DynamoDbService();
  readonly sns: SnsService;
  readonly lambda: LambdaService;
  readonly cloudWatch: CloudWatchService;
  readonly runtime: LambdaRuntime;
  readonly consumer: ConsumerFunction;
  readonly source: ModelQueue;
  readonly deadLetterQueue: ModelQueue;
  readonly violations: Violation[] = [];
  readonly stats: RunStats = {
    crashes: 0,
    timeouts: 0,
    toleratedTimeouts: 0,
    runtimeDeadLetters: 0,
    policyDeadLetters: 0,
    redrivenCopies: 0,
    redeliveryCopies: 0,
    breakerTransitions: 0,
  };
  /** Commands run so far (for the figures). */
  commandsRun = 0;
  /** The downstream the business handler calls is down: every run fails transiently. */
  outage = false;
  readonly #observations: Observations;

  constructor(options: WorldOptions) {
    this.deployment = options.deployment;
    this.strictness = options.strictness;
    const clock = new SimulatedClock(START, options.seed);
    this.clock = clock;
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
    this.#observations = new Observations(this);
    this.sqs = new SqsService(this.#observations, hooks);
    this.source = this.sqs.createQueue(this.deployment.source);
    this.deadLetterQueue = this.sqs.createQueue(this.deployment.deadLetterQueue);
    this.sns = new SnsService(hooks.now);
    this.cloudWatch = new CloudWatchService(
      this.deployment.breaker?.config.alarmName ?? 'no-breaker',
      clock.now,
    );
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
      (functionName, payload) => {
        if (functionName === this.deployment.redrive?.functionArn) this.redrive(payload);
      },
    );
    for (const service of [this.sqs, this.sns, this.lambda, this.cloudWatch, this.dynamoDb])
      service.registerOperations(this.aws);
    this.runtime = new LambdaRuntime({
      ...hooks,
      clients: (container) => ({
        sqs: this.aws.client<SQSClient>(container.caller),
        sns: this.aws.client<SNSClient>(container.caller),
        lambda: this.aws.client<LambdaClient>(container.caller),
        cloudWatch: this.aws.client<CloudWatchClient>(container.caller),
        dynamodb: this.aws.client<DynamoDBClient>(container.caller),
      }),
      delayedCalls: (label) => this.aws.delayedCallsInFlight(label).map((call) => call.operation),
      timedOut: (invocation) => this.#onTimeout(invocation),
      ended: (invocation) => {
        if (invocation.status === 'crashed') this.stats.crashes += 1;
        if (this.isConsumer(invocation)) this.consumer.settle(invocation);
      },
    });
    this.consumer = new ConsumerFunction(this, options.wrapConsumer);
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

  // ----- the producer and the consumer -----

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

  poll(variant: { readonly throttled?: boolean; readonly kill?: KillPlan } = {}): PollResult {
    return this.consumer.poll(variant);
  }

  checkFifoOrder(message: Parameters<Observations['checkFifoOrder']>[0]): void {
    this.#observations.checkFifoOrder(message);
  }

  isConsumer(invocation: Invocation): boolean {
    return invocation.functionName === this.consumer.functionName;
  }

  #onTimeout(invocation: Invocation): void {
    if (!this.isConsumer(invocation)) return;
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
    this.#invokeBreaker(CONSUMER_BREAKER_PROBE_EVENT, kill);
  }

  breakerPosition(): string {
    return breakerPosition(this.lambda.mapping, this.deployment.breaker?.config.halfOpenConcurrency ?? 2);
  }

  #invokeBreaker(payload: unknown, kill: KillPlan | undefined): void {
    const breaker = this.deployment.breaker;
    if (breaker === undefined) return;
    this.runtime.invokeAsync(BREAKER_CONTROLLER, breaker.reservedConcurrency, () => {
      const container = this.runtime.newContainer(BREAKER_CONTROLLER);
      const aws = this.runtime.clients(container);
      // The deployed controller (functions/breakerController) with the model's clients.
      const handler = createConsumerBreakerHandler({ config: breaker.config, aws, logger: SILENT });
      this.runtime.invoke(container, breaker.timeoutSeconds, kill, (context) => handler(payload, context));
    });
  }

  #onMappingChange(change: MappingChange): void {
    const breaker = this.deployment.breaker?.config;
    this.stats.breakerTransitions += 1;
    if (breaker === undefined) return;
    const problem = breakerTransitionProblem(change, this.cloudWatch, breaker);
    if (problem !== undefined) this.violate('breaker-transitions', problem);
  }

  // ----- the redrive function -----

  /** Someone (or an alarm) runs the redrive function; `kill` ends it at one of its AWS calls. */
  redrive(payload: unknown, kill?: KillPlan): void {
    const redrive = this.deployment.redrive;
    if (redrive === undefined) return;
    this.runtime.invokeAsync(REDRIVE, redrive.reservedConcurrency, () => {
      const container = this.runtime.newContainer(REDRIVE);
      const aws = this.runtime.clients(container);
      const handler = createRedriveHandler({ config: redrive.config, aws, logger: SILENT, metrics: false });
      this.runtime.invoke(container, redrive.timeoutSeconds, kill, (context) => handler(payload, context));
    });
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

  copiesOf(n: number): CopyLocation[] {
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
      const known = this.violations.some(
        (violation) => violation.invariant === 'conservation' && violation.message.includes(`message ${n} `),
      );
      if (!known)
        this.violate(
          'conservation',
          `message ${n} is nowhere: not done, not dead-lettered, not queued, not expired`,
        );
    }
    if (this.violations.length > 0) throw new InvariantViolation(when, this.violations, counts, this);
  }

  runningInvocations(): Invocation[] {
    return this.runtime.running();
  }

  #targetOf(input: unknown): string | undefined {
    const { QueueUrl, TopicArn, RequestItems } = input as {
      QueueUrl?: string;
      TopicArn?: string;
      RequestItems?: unknown;
    };
    if (QueueUrl === this.source.settings.url) return 'source';
    if (QueueUrl === this.deadLetterQueue.settings.url) return 'dlq';
    if (TopicArn !== undefined) return 'topic';
    if (RequestItems !== undefined) return 'ledger';
    return undefined;
  }
}

export class InvariantViolation extends Error {
  override name = 'InvariantViolation';
  constructor(
    readonly when: string,
    readonly violations: readonly Violation[],
    readonly counts: Census,
    /** The world as it was, for a debugger or a test that wants to look at the history. */
    readonly world: World,
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
