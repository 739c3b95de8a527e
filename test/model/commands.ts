import fc from 'fast-check';
import type { AlarmState } from '../../lib/consumerBreaker/index.js';
import type { FaultKind } from './aws/awsModel.js';
import type { KillPlan } from './lambda/functionContainers.js';
import type { Behaviour } from './ledger.js';
import type { SendSpec, World } from './world.js';

/**
 * The commands a model run is made of. Each does one thing to the world (a producer sends, the mapping
 * polls, time passes, a fault is armed, an alarm changes, someone redrives), lets the runtime react, and
 * checks every invariant. `toString` prints the command as the call that makes it, so a failing run's
 * shrunk command list can be pasted into a regression test as it is.
 */

/** What fast-check's model side keeps: nothing the checks need; the world is both model and system. */
export type ModelSide = Record<string, never>;

export type ModelCommand = fc.AsyncCommand<ModelSide, World, false>;

abstract class Step implements ModelCommand {
  check(): boolean {
    return true;
  }

  async run(_model: ModelSide, world: World): Promise<void> {
    world.commandsRun += 1;
    await this.apply(world);
    await world.settle();
    world.assertHealthy(`after ${this.toString()}`);
  }

  protected abstract apply(world: World): Promise<void> | void;
  abstract toString(): string;
}

const json = (value: unknown) => JSON.stringify(value);

class Send extends Step {
  constructor(readonly specs: readonly SendSpec[]) {
    super();
  }
  apply(world: World) {
    world.send(this.specs);
  }
  toString() {
    return `send(${this.specs.map(json).join(', ')})`;
  }
}

class Poll extends Step {
  constructor(readonly variant: { readonly throttled?: boolean; readonly kill?: KillPlan }) {
    super();
  }
  apply(world: World) {
    world.poll(this.variant);
  }
  toString() {
    return Object.keys(this.variant).length === 0 ? 'poll()' : `poll(${json(this.variant)})`;
  }
}

class Advance extends Step {
  constructor(readonly ms: number) {
    super();
  }
  apply(world: World) {
    return world.advance(this.ms);
  }
  toString() {
    return `advance(${this.ms})`;
  }
}

class NextVisibility extends Step {
  apply(world: World) {
    return world.advanceToNextVisibility();
  }
  toString() {
    return 'nextVisibility()';
  }
}

class Outage extends Step {
  constructor(readonly on: boolean) {
    super();
  }
  apply(world: World) {
    world.outage = this.on;
  }
  toString() {
    return `outage(${this.on})`;
  }
}

class Fault extends Step {
  constructor(
    readonly operation: string,
    readonly fault: FaultKind,
    readonly count: number,
  ) {
    super();
  }
  apply(world: World) {
    world.armFault(this.operation, this.fault, this.count);
  }
  toString() {
    return `fault(${json(this.operation)}, ${json(this.fault)}, ${this.count})`;
  }
}

class Alarm extends Step {
  constructor(
    readonly state: AlarmState,
    readonly kill?: KillPlan,
  ) {
    super();
  }
  apply(world: World) {
    world.setAlarm(this.state, this.kill);
  }
  toString() {
    return this.kill === undefined
      ? `alarm(${json(this.state)})`
      : `alarm(${json(this.state)}, ${json(this.kill)})`;
  }
}

class Probe extends Step {
  constructor(readonly kill?: KillPlan) {
    super();
  }
  apply(world: World) {
    world.probeBreaker(this.kill);
  }
  toString() {
    return this.kill === undefined ? 'probe()' : `probe(${json(this.kill)})`;
  }
}

class Redrive extends Step {
  constructor(readonly kill?: KillPlan) {
    super();
  }
  apply(world: World) {
    world.redrive({ max: 1_000 }, this.kill);
  }
  toString() {
    return this.kill === undefined ? 'redrive()' : `redrive(${json(this.kill)})`;
  }
}

// ----- the command language, for regression tests -----

export const send = (...specs: SendSpec[]): ModelCommand => new Send(specs);
export const poll = (variant: { throttled?: boolean; kill?: KillPlan } = {}): ModelCommand =>
  new Poll(variant);
export const advance = (ms: number): ModelCommand => new Advance(ms);
export const nextVisibility = (): ModelCommand => new NextVisibility();
export const outage = (on: boolean): ModelCommand => new Outage(on);
export const fault = (operation: string, kind: FaultKind, count: number): ModelCommand =>
  new Fault(operation, kind, count);
export const alarm = (state: AlarmState, kill?: KillPlan): ModelCommand => new Alarm(state, kill);
export const probe = (kill?: KillPlan): ModelCommand => new Probe(kill);
export const redrive = (kill?: KillPlan): ModelCommand => new Redrive(kill);

// ----- arbitraries -----

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'ok' } as const) },
  {
    weight: 5,
    arbitrary: fc.integer({ min: 1, max: 3 }).map((failures) => ({ kind: 'transient', failures }) as const),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'always-transient' } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: 'permanent' } as const) },
  // Slow within the budget, or slow enough to run into it (10 s and 30 s functions).
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5_000 }).map((ms) => ({ kind: 'slow', ms }) as const) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 8_000, max: 45_000 }).map((ms) => ({ kind: 'slow', ms }) as const),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 2 }).map((times) => ({ kind: 'crash', times }) as const),
  },
);

const sendSpec: fc.Arbitrary<SendSpec> = fc
  .record({
    behaviour,
    groupId: fc.constantFrom('g1', 'g2', 'g3'),
    delaySeconds: fc.oneof(
      { weight: 8, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 900 }) },
    ),
    ownAttributes: fc.oneof(
      { weight: 6, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) },
    ),
  })
  .map(({ delaySeconds, ownAttributes, ...spec }) => ({
    ...spec,
    ...(delaySeconds === 0 ? {} : { delaySeconds }),
    ...(ownAttributes === 0 ? {} : { ownAttributes }),
  }));

const killPlan: fc.Arbitrary<KillPlan> = fc.record({
  atCall: fc.integer({ min: 1, max: 6 }),
  served: fc.boolean(),
});

/** The AWS operations the product calls, by target, that faults can hit. */
export const FAULT_TARGETS = [
  'SQS.SendMessageBatch@dlq',
  'SQS.ChangeMessageVisibilityBatch@source',
  'SNS.PublishBatch@topic',
  'SQS.ReceiveMessage@dlq',
  'SQS.SendMessageBatch@source',
  'SQS.DeleteMessageBatch@dlq',
  'SQS.GetQueueAttributes@dlq',
  'Lambda.GetEventSourceMapping',
  'Lambda.UpdateEventSourceMapping',
  'CloudWatch.DescribeAlarms',
  'DynamoDB.BatchGetItem@ledger',
  'DynamoDB.BatchWriteItem@ledger',
] as const;

const faultKind: fc.Arbitrary<FaultKind> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'throttle' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'server-error' } as const) },
  { weight: 3, arbitrary: fc.boolean().map((senderFault) => ({ kind: 'partial', senderFault }) as const) },
  { weight: 2, arbitrary: fc.integer({ min: 50, max: 5_000 }).map((ms) => ({ kind: 'slow', ms }) as const) },
  { weight: 1, arbitrary: fc.boolean().map((served) => ({ kind: 'hung', served }) as const) },
);

const duration = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 3_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 3_000, max: 120_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 120_000, max: 1_800_000 }) },
);

/** One command, weighted towards the traffic that makes interleavings: sends, polls and time. */
export const anyCommand: fc.Arbitrary<ModelCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.array(sendSpec, { minLength: 1, maxLength: 6 }).map((specs) => send(...specs)) },
  { weight: 7, arbitrary: fc.constant(poll()) },
  { weight: 1, arbitrary: fc.constant(poll({ throttled: true })) },
  { weight: 1, arbitrary: killPlan.map((kill) => poll({ kill })) },
  { weight: 5, arbitrary: duration.map(advance) },
  { weight: 2, arbitrary: fc.constant(nextVisibility()) },
  { weight: 1, arbitrary: fc.boolean().map(outage) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...FAULT_TARGETS), faultKind, fc.integer({ min: 1, max: 8 }))
      .map(([target, kind, count]) => fault(target, kind, count)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom<AlarmState>('ALARM', 'OK'), fc.option(killPlan, { nil: undefined, freq: 4 }))
      .map(([state, kill]) => alarm(state, kill)),
  },
  { weight: 1, arbitrary: fc.option(killPlan, { nil: undefined, freq: 4 }).map(probe) },
  {
    weight: 1,
    arbitrary: fc
      .option(fc.record({ atCall: fc.integer({ min: 1, max: 30 }), served: fc.boolean() }), {
        nil: undefined,
        freq: 2,
      })
      .map(redrive),
  },
);
