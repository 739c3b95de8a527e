import type { ModelQueue, StoredMessage } from './aws/modelQueue.js';
import type { SqsObserver } from './aws/sqsService.js';
import { EVENT_SOURCE_MAPPING } from './consumerFunction.js';
import type { Deployment } from './deployment.js';
import { type CopyLocation, deadLetterProblem, metadataProblems, readMetadata } from './invariants.js';
import type { Strictness } from './knownBugs.js';
import type { Invocation } from './lambda/functionContainers.js';
import type { LambdaRuntime } from './lambda/lambdaRuntime.js';
import { type Delivery, type Ledger, type LogicalMessage, numberOf } from './ledger.js';
import type { SimulatedClock } from './simulation/simulatedClock.js';

/** What the observations read and where they report. */
export interface ObservedWorld {
  readonly deployment: Deployment;
  readonly strictness: Strictness;
  readonly ledger: Ledger;
  readonly source: ModelQueue;
  readonly deadLetterQueue: ModelQueue;
  readonly runtime: LambdaRuntime;
  readonly clock: SimulatedClock;
  readonly stats: {
    runtimeDeadLetters: number;
    policyDeadLetters: number;
    redrivenCopies: number;
    redeliveryCopies: number;
  };
  violate(invariant: string, message: string): void;
  copiesOf(n: number): CopyLocation[];
  isConsumer(invocation: Invocation): boolean;
}

/**
 * The invariants judged where their event happens: every message that SQS takes in or lets go (a dead
 * letter sent by the runtime or moved by the redrive policy, a delete, an expiry), and every handler run
 * (FIFO order). Deletes by the event source mapping are judged where the mapping settles a batch.
 */
export class Observations implements SqsObserver {
  readonly #world: ObservedWorld;

  constructor(world: ObservedWorld) {
    this.#world = world;
  }

  sent(queue: ModelQueue, stored: StoredMessage, by: string): void {
    const world = this.#world;
    world.clock.activity += 1;
    if (by === 'producer') return;
    const invocation = world.runtime.byLabel(by)?.invocation;
    if (queue === world.source) {
      // The consumer sends a failed record back as a fresh copy; the redrive function, a dead letter.
      if (invocation !== undefined && world.isConsumer(invocation)) world.stats.redeliveryCopies += 1;
      else world.stats.redrivenCopies += 1;
      return;
    }
    if (queue !== world.deadLetterQueue || invocation === undefined || !world.isConsumer(invocation)) return;
    world.stats.runtimeDeadLetters += 1;
    const message = this.#deadLettered(stored, 'runtime', invocation.id);
    // Which copy it was is not written on the dead letter; with two copies in one batch either may be it.
    const candidates = message.deliveries.filter((candidate) => candidate.invocation === invocation.id);
    if (candidates.length === 0) {
      world.violate(
        'attempts-before-dead-letter',
        `message ${message.n} dead-lettered by an invocation that never received it`,
      );
      return;
    }
    message.abandonRunsIn(invocation.id, world.clock.now);
    const metadata = readMetadata(stored.attributes);
    const errorClass = typeof metadata === 'string' ? undefined : String(metadata.errorClass);
    const judged = candidates.map((delivery) => ({
      attempts: this.#deadLetterProblem(message, delivery, 'runtime', errorClass),
      metadata: metadataProblems({
        attributes: stored.attributes,
        message,
        delivery,
        sourceQueueArn: world.source.settings.arn,
        functionName: world.deployment.consumer.functionName,
        invocationStartedAt: invocation.startedAt,
        now: world.clock.now,
      }),
    }));
    if (judged.some(({ attempts, metadata }) => attempts === undefined && metadata.length === 0)) return;
    const first = judged[0] as (typeof judged)[number];
    if (first.attempts !== undefined) world.violate('attempts-before-dead-letter', first.attempts);
    for (const problem of first.metadata) world.violate('dead-letter-metadata', problem);
  }

  received(): void {
    this.#world.clock.activity += 1;
  }

  movedByPolicy(_from: ModelQueue, _to: ModelQueue, stored: StoredMessage): void {
    const world = this.#world;
    world.clock.activity += 1;
    world.stats.policyDeadLetters += 1;
    const message = this.#deadLettered(stored, 'queue-policy', undefined);
    const problem = this.#deadLetterProblem(message, undefined, 'queue-policy', undefined);
    if (problem !== undefined) world.violate('attempts-before-dead-letter', problem);
  }

  deleted(queue: ModelQueue, stored: StoredMessage, by: string): void {
    const world = this.#world;
    world.clock.activity += 1;
    if (by === EVENT_SOURCE_MAPPING) return; // judged where the mapping settles, which knows the invocation
    const message = world.ledger.get(numberOf(stored.body));
    const invocation = world.runtime.byLabel(by)?.invocation;
    const succeededHere =
      invocation !== undefined &&
      queue === world.source &&
      message.succeededIn(invocation.id, stored.messageId);
    if (!succeededHere && world.copiesOf(message.n).length === 0 && message.completedAt === undefined)
      world.violate(
        'deleted-with-reason',
        `message ${message.n} deleted from ${queue.settings.name} by ${by} without a success or a copy elsewhere`,
      );
  }

  expired(queue: ModelQueue, stored: StoredMessage): void {
    const world = this.#world;
    world.clock.activity += 1;
    if (queue === world.source) world.ledger.get(numberOf(stored.body)).expiredAt ??= world.clock.now;
  }

  /** A handler is about to run for `message`: nothing sent before it in its group may still be pending. */
  checkFifoOrder(message: LogicalMessage): void {
    for (const earlier of this.#world.ledger.earlierInGroup(message)) {
      if (earlier.everSucceeded || earlier.everDeadLettered || earlier.expiredAt !== undefined) continue;
      this.#world.violate(
        'fifo-order',
        `message ${message.n} of group ${message.groupId} processed while message ${earlier.n}, sent before it, is still pending`,
      );
    }
  }

  #deadLettered(
    stored: StoredMessage,
    by: 'runtime' | 'queue-policy',
    invocation: number | undefined,
  ): LogicalMessage {
    const message = this.#world.ledger.get(numberOf(stored.body));
    message.deadLetters.push({ at: this.#world.clock.now, by, messageId: stored.messageId, invocation });
    return message;
  }

  #deadLetterProblem(
    message: LogicalMessage,
    delivery: Delivery | undefined,
    by: 'runtime' | 'queue-policy',
    errorClass: string | undefined,
  ): string | undefined {
    const world = this.#world;
    const deadLetter = world.deployment.consumer.config.deadLetter;
    return deadLetterProblem({
      message,
      delivery,
      by,
      now: world.clock.now,
      attemptLimit: deadLetter?.maxAttempts ?? Number.POSITIVE_INFINITY,
      maxAgeSeconds: deadLetter?.maxAgeSeconds,
      errorClass,
    });
  }
}
