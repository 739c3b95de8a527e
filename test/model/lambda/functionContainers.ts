import type { LambdaContextLike } from '../../../lib/index.js';
import type { Caller, KillDecision } from '../aws/awsModel.js';

/**
 * Lambda's execution environments, as far as failure handling sees them: a container runs one invocation
 * at a time; a crash or a timeout kills it (Lambda throws the environment away), and whatever the dead
 * process still had pending never reaches AWS. Every container has its own SDK clients (through the
 * model), so a dead one cannot touch the queues.
 */

export type InvocationStatus = 'running' | 'returned' | 'threw' | 'timed-out' | 'crashed';

/** Kill the container at its invocation's `atCall`-th AWS call, that call served first or not at all. */
export interface KillPlan {
  readonly atCall: number;
  readonly served: boolean;
}

export interface Invocation {
  readonly id: number;
  readonly functionName: string;
  readonly container: Container;
  readonly startedAt: number;
  readonly timeoutAt: number;
  readonly kill: KillPlan | undefined;
  calls: number;
  status: InvocationStatus;
  endedAt: number | undefined;
  result: unknown;
  /** The AWS calls that were in flight, delayed by a fault, when it timed out (issue 13's shape). */
  delayedCallsAtTimeout: readonly string[];
  readonly context: LambdaContextLike;
}

export class Container {
  dead = false;
  invocation: Invocation | undefined;
  readonly caller: Caller;

  constructor(
    readonly id: number,
    readonly functionName: string,
    onKill: (invocation: Invocation) => void,
  ) {
    this.caller = {
      label: `${functionName}#${id}`,
      isDead: () => this.dead,
      onCall: (): KillDecision | undefined => {
        const invocation = this.invocation;
        if (invocation === undefined || invocation.status !== 'running') return undefined;
        invocation.calls += 1;
        if (invocation.kill?.atCall !== invocation.calls) return undefined;
        onKill(invocation);
        return { served: invocation.kill.served };
      },
    };
  }

  get busy(): boolean {
    return this.invocation?.status === 'running';
  }
}

/** A promise that never settles: what a dead process's pending work amounts to. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
