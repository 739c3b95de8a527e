import { Duration } from 'aws-cdk-lib';
import fc from 'fast-check';
import type { FailsafeConsumerProps } from '../../infra/consumer/failsafeConsumerProps.js';
import { anyCommand, type ModelCommand, type ModelSide } from './commands.js';
import { type Deployment, deploy } from './deployment.js';
import { type Strictness, TODAYS_CONTRACT } from './knownBugs.js';
import { World, type WorldOptions } from './world.js';

/**
 * Running the model: the construct deployments a run can use, one run of a command list (a property run
 * or a fixed regression), and the drain at its end that shows nothing is lost or stuck.
 */

export const DEPLOYMENTS = {
  /** The construct's defaults: A = 4, redelivery by copy, maxReceiveCount 5, backoff 30..900 s, 30 s timeout. */
  standard: {},
  /** Failed attempts stay in place (visibility timeout) and their count in the attempt ledger. */
  'standard-in-place': { failsafe: { redelivery: 'visibility' } },
  fifo: { fifo: true },
  'fifo-by-group': { fifo: true, failsafe: { fifoMode: 'skip-failed-group' } },
  /**
   * Short timeout, two records at a time, a schedule, a max age and the dependency breaker: the paths
   * where records are skipped (time budget), failed fast (breaker) or dead-lettered by age.
   */
  'standard-tight': {
    timeout: Duration.seconds(10),
    failsafe: {
      concurrency: 2,
      redeliveryBackoff: { scheduleSeconds: [10, 60, 120] },
      deadLetter: { maxAgeSeconds: 1_800 },
      dependencyBreaker: { consecutiveFailures: 2 },
    },
  },
} satisfies Record<string, FailsafeConsumerProps>;

export type DeploymentName = keyof typeof DEPLOYMENTS;
export const DEPLOYMENT_NAMES = Object.keys(DEPLOYMENTS) as DeploymentName[];

const deployed = new Map<DeploymentName, Deployment>();

/** Synthesized once per process: a deployment is read-only. */
export function deployment(name: DeploymentName): Deployment {
  let found = deployed.get(name);
  if (found === undefined) {
    found = deploy(name, DEPLOYMENTS[name]);
    deployed.set(name, found);
  }
  return found;
}

export interface Scenario {
  readonly deployment: DeploymentName;
  readonly seed: number;
}

export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  deployment: fc.constantFrom(...DEPLOYMENT_NAMES),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

export interface RunOptions {
  readonly strictness?: Strictness;
  readonly wrapConsumer?: WorldOptions['wrapConsumer'];
  /** Told about every run that ended (passed or not), for the figures. */
  readonly figures?: ModelFigures;
}

/** Totals over many runs: what the model exercised, for the report and the docs. */
export class ModelFigures {
  runs = 0;
  commands = 0;
  messages = 0;
  readonly totals: Record<string, number> = {};
  readonly byDeployment: Record<string, number> = {};

  add(scenario: Scenario, commands: number, world: World): void {
    this.runs += 1;
    this.commands += commands;
    this.messages += world.ledger.messages.length;
    this.byDeployment[scenario.deployment] = (this.byDeployment[scenario.deployment] ?? 0) + 1;
    const counts: Record<string, number> = {
      invocations: world.runtime.invocations.length,
      ...world.stats,
      awsCalls: world.aws.calls.length,
      faultedCalls: world.aws.calls.filter((call) => call.delayedBy !== undefined).length,
      duplicateSuccesses: world.ledger.messages.reduce(
        (sum, message) =>
          sum + Math.max(0, message.runs.filter((run) => run.result === 'success').length - 1),
        0,
      ),
    };
    for (const [name, value] of Object.entries(counts)) this.totals[name] = (this.totals[name] ?? 0) + value;
  }

  summary(): string {
    const totals = Object.entries(this.totals)
      .map(([name, value]) => `${name} ${value}`)
      .join(', ');
    return `${this.runs} runs, ${this.commands} commands, ${this.messages} messages (${JSON.stringify(this.byDeployment)}); ${totals}`;
  }
}

/**
 * Runs the commands against a fresh world, then drains it (faults off, the downstream back, time passing
 * and the mapping polling until nothing is left in flight) and checks the end state. Throws an
 * InvariantViolation naming every broken invariant.
 */
export async function runCommands(
  scenario: Scenario,
  commands: Iterable<ModelCommand>,
  options: RunOptions = {},
): Promise<World> {
  const world = new World({
    deployment: deployment(scenario.deployment),
    seed: scenario.seed,
    strictness: options.strictness ?? TODAYS_CONTRACT,
    ...(options.wrapConsumer === undefined ? {} : { wrapConsumer: options.wrapConsumer }),
  });
  world.start();
  try {
    await fc.asyncModelRun(() => ({ model: {} as ModelSide, real: world }), commands);
    await drain(world);
    world.assertHealthy('after the drain');
    return world;
  } finally {
    world.dispose();
    options.figures?.add(scenario, world.commandsRun, world);
  }
}

const DRAIN_ROUNDS = 2_000;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/**
 * The end of a run: no more faults, the downstream healthy, the alarm OK; the mapping polls while time
 * moves from one event to the next (a visibility ending, a timer, the breaker's cool-down). Every message
 * must then end done, dead-lettered or expired: one still in the work queue is stuck.
 */
export async function drain(world: World): Promise<void> {
  world.aws.disarmAll();
  world.outage = false;
  world.setAlarm('OK');
  const breaker = world.deployment.breaker?.config;
  for (let round = 0; round < DRAIN_ROUNDS; round += 1) {
    while (world.poll() === 'invoked') await world.settle();
    await world.settle();
    if (world.source.messages.length === 0 && world.runningInvocations().length === 0) return;
    const now = world.clock.now;
    const candidates = [world.source.nextVisibleAt(now), world.clock.nextTimerAt(), now + 60_000];
    const position = world.breakerPosition();
    if (breaker !== undefined && (position === 'open' || position === 'half-open')) {
      const due =
        world.lambda.mapping.lastModified +
        (position === 'open' ? breaker.coolDownSeconds : breaker.probeSeconds) * 1_000;
      const deciding = world
        .runningInvocations()
        .some((invocation) => invocation.functionName === 'breaker-controller');
      if (now >= due && !deciding) world.probeBreaker();
      candidates.push(Math.max(due, now + 1_000));
    }
    const next = Math.min(...candidates.filter((at): at is number => at !== undefined && at > now));
    await world.advance(next - now);
  }
  const left = world.source.messages.map((message) => message.body);
  world.violate(
    'nothing-stuck',
    `after the drain ${left.length} message(s) are still in the work queue: ${left.slice(0, 5).join(', ')}`,
  );
}

/** The property `npm test` and the soak run: any scenario, any command list, every invariant. */
export function modelProperty(options: RunOptions & { readonly maxCommands?: number } = {}) {
  return fc.asyncProperty(
    scenarios,
    fc.commands([anyCommand], { maxCommands: options.maxCommands ?? 200, size: 'large' }),
    async (scenario, commands) => {
      const startedAt = performance.now();
      const watchdog = realSetTimeout(() => {
        console.log(`run still going after 20 s: ${JSON.stringify(scenario)} ${commands.toString()}`);
      }, 20_000);
      try {
        await runCommands(scenario, commands, options);
      } finally {
        realClearTimeout(watchdog);
        const ms = performance.now() - startedAt;
        if (process.env.MODEL_SLOW_MS !== undefined && ms > Number(process.env.MODEL_SLOW_MS))
          console.log(`slow run (${Math.round(ms)} ms): ${JSON.stringify(scenario)} ${commands.toString()}`);
      }
    },
  );
}
